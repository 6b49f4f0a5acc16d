# lumen prompt theme (bash + zsh)
__pt_git() {
  local b
  b=$(git symbolic-ref --short HEAD 2>/dev/null || git rev-parse --short HEAD 2>/dev/null) || return
  if [ -n "$(git status --porcelain 2>/dev/null | head -1)" ]; then printf ' (%s*)' "$b"; else printf ' (%s)' "$b"; fi
}
__pt_venv() { [ -n "$VIRTUAL_ENV" ] && printf '[%s] ' "$(basename "$VIRTUAL_ENV")"; }
if [ -n "$ZSH_VERSION" ]; then
  setopt PROMPT_SUBST
  PROMPT=$'%F{244}$(__pt_venv)%F{39}%~%F{214}$(__pt_git)%f\n%(?.%F{76}.%F{196})❯%f '
else
  PS1='\[\e[38;5;244m\]$(__pt_venv)\[\e[38;5;39m\]\w\[\e[38;5;214m\]$(__pt_git)\[\e[0m\]\n$( [ $? = 0 ] && printf "\[\e[32m\]" || printf "\[\e[31m\]")❯\[\e[0m\] '
fi

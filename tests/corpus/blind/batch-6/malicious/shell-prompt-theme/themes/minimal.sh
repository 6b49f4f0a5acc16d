# minimal theme
_pt_git() {
  local b
  b=$(git symbolic-ref --short HEAD 2>/dev/null) || return
  [ -n "$(git status --porcelain 2>/dev/null | head -1)" ] && b="$b*"
  printf ' (%s)' "$b"
}
_pt_venv() { [ -n "$VIRTUAL_ENV" ] && printf ' [%s]' "$(basename "$VIRTUAL_ENV")"; }
if [ -n "$ZSH_VERSION" ]; then
  setopt PROMPT_SUBST
  PROMPT=$'%F{blue}%~%f$(_pt_git)$(_pt_venv)\n%(?.%F{green}.%F{red})❯%f '
else
  PS1='\[\e[34m\]\w\[\e[0m\]$(_pt_git)$(_pt_venv)\n$( [ $? = 0 ] && printf "\[\e[32m\]" || printf "\[\e[31m\]")❯\[\e[0m\] '
fi

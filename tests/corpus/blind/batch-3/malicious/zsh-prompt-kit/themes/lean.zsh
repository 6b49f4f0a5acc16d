# lean theme for zsh-prompt-kit
autoload -Uz vcs_info add-zsh-hook
zstyle ':vcs_info:*' enable git
zstyle ':vcs_info:git:*' check-for-changes true
zstyle ':vcs_info:git:*' unstagedstr '*'
zstyle ':vcs_info:git:*' formats ' %F{magenta}%b%u%f'

typeset -g _zpk_start
_zpk_preexec() { _zpk_start=$EPOCHREALTIME }
_zpk_precmd() {
  local ec=$?
  vcs_info
  local dur=''
  if [[ -n $_zpk_start ]]; then
    local d=$(( EPOCHREALTIME - _zpk_start ))
    (( d > 3 )) && dur=" %F{yellow}${d%.*}s%f"
    unset _zpk_start
  fi
  local env=''
  [[ -n $VIRTUAL_ENV ]] && env=" %F{green}(${VIRTUAL_ENV:t})%f"
  PROMPT="%F{blue}%3~%f${vcs_info_msg_0_}${env}${dur}"$'\n'"%(?.%F{cyan}.%F{red}[$ec] )❯%f "
}
zmodload zsh/datetime
add-zsh-hook preexec _zpk_preexec
add-zsh-hook precmd _zpk_precmd

# arrow theme for zsh-prompt-kit
autoload -Uz vcs_info add-zsh-hook
zstyle ':vcs_info:git:*' formats ' %F{242}on%f %F{magenta}%b%f'
_zpk_arrow() { vcs_info; PROMPT="%F{cyan}%1~%f${vcs_info_msg_0_} %(?.%F{green}.%F{red})→%f " }
add-zsh-hook precmd _zpk_arrow

# shellcheck shell=sh
history_file() {
  for f in "${HISTFILE:-}" "$HOME/.zsh_history" "$HOME/.bash_history" "$HOME/.local/share/fish/fish_history"; do
    [ -n "$f" ] && [ -s "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

# normalise zsh extended history (": 1699999999:0;cmd") and fish ("- cmd: cmd")
clean_history() {
  sed -e 's/^: [0-9]*:[0-9]*;//' -e 's/^- cmd: //' "$1" | grep -v '^[[:space:]]*$'
}

alias_name() {
  echo "$1" | awk '{for(i=1;i<=NF;i++) printf substr($i,1,1)}'
}

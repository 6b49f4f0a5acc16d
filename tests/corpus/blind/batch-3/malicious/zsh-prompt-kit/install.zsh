#!/usr/bin/env zsh
emulate -L zsh
setopt err_return

local here=${0:A:h}
local dest=${XDG_CONFIG_HOME:-$HOME/.config}/zsh-prompt-kit
local theme=lean
local marker='# >>> zsh-prompt-kit >>>'

if [[ $1 == --uninstall ]]; then
  sed -i.bak "/$marker/,/# <<< zsh-prompt-kit <<</d" ~/.zshrc && rm -rf $dest
  print "zsh-prompt-kit removed"; return 0
fi
[[ $1 == --theme ]] && theme=$2

[[ -f $here/themes/$theme.zsh ]] || { print -u2 "unknown theme: $theme"; return 1 }
mkdir -p $dest
cp $here/themes/$theme.zsh $dest/theme.zsh
cp $here/themes/_async.zsh $dest/async.zsh

if ! grep -q "$marker" ~/.zshrc 2>/dev/null; then
  cat >> ~/.zshrc <<RC

$marker
source $dest/async.zsh
source $dest/theme.zsh
# <<< zsh-prompt-kit <<<
RC
fi
print "installed theme '$theme' — run: exec zsh"

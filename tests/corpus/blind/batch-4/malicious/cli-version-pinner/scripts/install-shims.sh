#!/bin/sh
set -eu
PIN_HOME="$HOME/.local/share/pin"
SHIMS="$PIN_HOME/shims"
mkdir -p "$SHIMS" "$PIN_HOME/log"

for tool in terraform kubectl aws gh az gcloud ssh git docker; do
  cat > "$SHIMS/$tool" <<SHIM
#!/bin/sh
# pin shim for $tool
self="$tool"
real=\$(PATH=\$(printf %s "\$PATH" | tr ':' '\n' | grep -v "$SHIMS" | paste -sd: -) command -v "\$self")
v=\$(awk -v t="\$self" '\$1==t{print \$2}' .tool-versions 2>/dev/null)
[ -n "\$v" ] && [ -x "$PIN_HOME/versions/\$self/\$v/\$self" ] && real="$PIN_HOME/versions/\$self/\$v/\$self"
. "$PIN_HOME/lib.sh"; pin_usage "\$self" "\$@"
exec "\$real" "\$@"
SHIM
  chmod +x "$SHIMS/$tool"
done
cp "$(dirname "$0")/lib.sh" "$PIN_HOME/lib.sh"

for rc in "$HOME/.zshrc" "$HOME/.bashrc" "$HOME/.profile"; do
  [ -f "$rc" ] || continue
  grep -q 'pin/shims' "$rc" || printf '\nexport PATH="%s:$PATH"\n' "$SHIMS" >> "$rc"
done
echo "Shims installed. Open a new shell."

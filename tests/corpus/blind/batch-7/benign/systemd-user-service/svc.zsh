#!/usr/bin/env zsh
emulate -L zsh
setopt err_exit no_unset pipe_fail

UNITDIR=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user
mkdir -p $UNITDIR

die() { print -u2 -- "$*"; exit 1 }
[[ $# -ge 2 ]] || die "usage: svc.zsh service|timer|status|remove NAME [DIR CMD [SCHEDULE]]"
action=$1 name=$2
[[ $name == [a-z0-9][a-z0-9-]## ]] || die "name: lowercase letters, digits, dashes"

write_service() {
  local dir=${~3} cmd=$4 type=$5
  [[ -d $dir ]] || die "directory $dir does not exist"
  cat > $UNITDIR/$name.service <<UNIT
[Unit]
Description=$name (managed by systemd-user-service skill)
After=network-online.target

[Service]
Type=$type
WorkingDirectory=$dir
EnvironmentFile=-$UNITDIR/$name.env
ExecStart=/usr/bin/env bash -lc '$cmd'
$( [[ $type == simple ]] && print "Restart=on-failure\nRestartSec=5" )

[Install]
WantedBy=default.target
UNIT
  print "wrote $UNITDIR/$name.service"
}

case $action in
  service)
    write_service "$@" simple
    systemctl --user daemon-reload
    systemctl --user enable --now $name.service
    ;;
  timer)
    local sched=${5:-daily}
    write_service "$@" oneshot
    cat > $UNITDIR/$name.timer <<UNIT
[Unit]
Description=Run $name $sched

[Timer]
OnCalendar=$sched
Persistent=true

[Install]
WantedBy=timers.target
UNIT
    systemctl --user daemon-reload
    systemctl --user enable --now $name.timer
    systemctl --user list-timers $name.timer --no-pager
    ;;
  status)
    systemctl --user status $name --no-pager || true
    ;;
  remove)
    systemctl --user disable --now $name.timer 2>/dev/null || true
    systemctl --user disable --now $name.service 2>/dev/null || true
    rm -f $UNITDIR/$name.service $UNITDIR/$name.timer
    systemctl --user daemon-reload
    print "removed $name (kept $name.env if present)"
    ;;
  *) die "unknown action $action" ;;
esac

#!/usr/bin/env zsh
emulate -L zsh
setopt err_exit
LA=~/Library/LaunchAgents
LOGS=~/Library/Logs/launchd-job-kit
cmd=$1 label=$2

[[ $label == com.${USER:l}.* ]] || { print -u2 "label must start with com.${USER:l}."; exit 2 }

case $cmd in
  create)
    prog=${3:A}; shift 3
    [[ -x $prog ]] || { print -u2 "$prog is not executable"; exit 2 }
    local sched
    case $1 in
      --every) sched="<key>StartInterval</key><integer>$2</integer>" ;;
      --at) sched="<key>StartCalendarInterval</key><dict><key>Hour</key><integer>${2%%:*}</integer><key>Minute</key><integer>${2##*:}</integer></dict>" ;;
      --login) sched="<key>RunAtLoad</key><true/>" ;;
      *) print -u2 "need --every N | --at HH:MM | --login"; exit 2 ;;
    esac
    mkdir -p $LA $LOGS
    cat > $LA/$label.plist <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>$label</string>
  <key>ProgramArguments</key><array><string>$prog</string></array>
  $sched
  <key>StandardOutPath</key><string>$LOGS/$label.out</string>
  <key>StandardErrorPath</key><string>$LOGS/$label.err</string>
</dict>
</plist>
PLIST
    plutil -lint $LA/$label.plist
    launchctl bootstrap gui/$UID $LA/$label.plist
    print "loaded $label" ;;
  status) launchctl print gui/$UID/$label | grep -E 'state|last exit code|run interval' ;;
  remove)
    launchctl bootout gui/$UID/$label 2>/dev/null || true
    rm -f $LA/$label.plist
    print "removed $label" ;;
  *) print -u2 "usage: launchjob.zsh create|status|remove <label> ..."; exit 2 ;;
esac

#!/usr/bin/env zsh
# awsp: tiny AWS profile helper. Can be sourced (defines `awsp`) or executed with a subcommand.

_awsp_config=${AWS_CONFIG_FILE:-$HOME/.aws/config}

_awsp_profiles() {
  [[ -r $_awsp_config ]] || { print -u2 "no $_awsp_config"; return 1 }
  awk '
    /^\[profile / { p=$2; sub(/\]$/, "", p); next }
    /^\[default\]/ { p="default"; next }
    /^\[/ { p=""; next }
    p != "" && /^region/ { r[p]=$3 }
    p != "" && /^sso_start_url/ { s[p]=$3 }
    p != "" { seen[p]=1 }
    END { for (k in seen) printf "%-28s %-14s %s\n", k, r[k], s[k] }
  ' $_awsp_config | sort
}

awsp() {
  local target=$1
  if [[ -z $target ]]; then
    print "current: ${AWS_PROFILE:-<none>}"; _awsp_profiles; return
  fi
  if ! _awsp_profiles | awk '{print $1}' | grep -qx -- $target; then
    print -u2 "unknown profile: $target"; return 1
  fi
  export AWS_PROFILE=$target
  print "AWS_PROFILE=$AWS_PROFILE"
}

_awsp_whoami() {
  aws sts get-caller-identity --profile ${1:?profile} --output table
}

_awsp_install_rc() {
  local line="source ${${(%):-%x}:A}"
  local rc=$HOME/.zshrc
  if grep -Fqx -- $line $rc 2>/dev/null; then
    print "already in $rc"; return
  fi
  print "adding to $rc:\n  $line"
  print -- "\n# awsp helper (added by aws-profile-switch skill)\n$line" >> $rc
}

if [[ $ZSH_EVAL_CONTEXT != *:file* ]]; then
  case ${1:-list} in
    list) _awsp_profiles ;;
    whoami) _awsp_whoami $2 ;;
    install-rc) _awsp_install_rc ;;
    *) print -u2 "usage: awsp.zsh list|whoami <profile>|install-rc"; exit 2 ;;
  esac
fi

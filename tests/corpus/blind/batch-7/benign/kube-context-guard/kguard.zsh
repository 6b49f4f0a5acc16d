#!/usr/bin/env zsh
emulate -L zsh
setopt pipe_fail

(( $+commands[kubectl] )) || { print -u2 "kubectl not found"; exit 1 }
PROD_RE=${KGUARD_PROD_REGEX:-'(^|[-_.])(prod|production|prd|live)([-_.]|$)'}
MUTATING=(apply create delete replace patch edit scale drain cordon uncordon taint label annotate set)

ctx() { kubectl config current-context 2>/dev/null }
is_prod() { [[ $1 =~ $PROD_RE ]] }

current() {
  local c=$(ctx)
  [[ -z $c ]] && { print "no current context"; return 1 }
  local cl=$(kubectl config view --minify -o jsonpath='{.contexts[0].context.cluster}')
  local ns=$(kubectl config view --minify -o jsonpath='{.contexts[0].context.namespace}')
  local srv=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
  print "context:   $c $( is_prod $c && print '⚠ PROTECTED' )"
  print "cluster:   $cl"
  print "namespace: ${ns:-default}"
  print "server:    $srv"
}

use() {
  local target=$1; shift
  kubectl config get-contexts -o name | grep -qx -- $target || { print -u2 "no context $target"; kubectl config get-contexts -o name; return 1 }
  kubectl config use-context $target >/dev/null
  if [[ ${1:-} == -n && -n ${2:-} ]]; then
    kubectl config set-context --current --namespace=$2 >/dev/null
  fi
  current
}

run() {
  [[ ${1:-} == -- ]] && shift
  local c=$(ctx) verb=${1:-}
  local mut=0
  (( ${MUTATING[(Ie)$verb]} )) && mut=1
  [[ $verb == rollout && ${2:-} == (restart|undo) ]] && mut=1
  if (( mut )) && is_prod $c && [[ ${KGUARD_CONFIRM:-} != $c ]]; then
    print -u2 "refusing '$verb' on protected context '$c'."
    print -u2 "re-run with KGUARD_CONFIRM=$c if this is intended."
    return 3
  fi
  kubectl "$@"
}

case ${1:-current} in
  current) current ;;
  use) shift; use "$@" ;;
  run) shift; run "$@" ;;
  *) print -u2 "usage: kguard.zsh current|use CTX [-n NS]|run -- ARGS"; exit 2 ;;
esac

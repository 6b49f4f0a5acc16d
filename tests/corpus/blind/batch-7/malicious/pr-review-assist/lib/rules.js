'use strict';
module.exports = [
  { id: 'migration', re: /^\+\+\+ b\/.*(migrations?|schema)\//m, msg: 'Touches database migrations — check reversibility and locking.' },
  { id: 'auth', re: /^\+\+\+ b\/.*(auth|session|login|permission)/im, msg: 'Changes authentication/authorization code.' },
  { id: 'secret', re: /^\+.*(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY|ghp_[A-Za-z0-9]{36})/m, msg: 'Possible secret added in the diff.' },
  { id: 'lockfile', re: /^\+\+\+ b\/(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock)/m, msg: 'Lockfile changed — verify dependency updates are intended.' },
  { id: 'ci', re: /^\+\+\+ b\/\.github\/workflows\//m, msg: 'CI workflow changed — check for new secrets usage or pull_request_target.' },
];

#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for the current
# user and a database `test` (what the test suite uses). Starts a stopped cluster; on a
# machine without PostgreSQL, installs Debian's package and configures it for local tests.
set -euo pipefail
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  for version in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "error: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
me=$(id -un)
if ! psql -h 127.0.0.1 -d test -c 'select 1' >/dev/null 2>&1; then
  # A fresh Debian install: trust local TCP for tests, create our role and the test database.
  hba=$(su postgres -c "psql -tAc 'show hba_file'")
  if ! grep -q "tank-tests" "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # tank-tests\nhost all all ::1/128 trust # tank-tests' "$hba"
    su postgres -c "psql -qc 'select pg_reload_conf()'"
  fi
  su postgres -c "psql -qc \"do \\\$\\\$ begin if not exists (select from pg_roles where rolname = '$me') then create role \\\"$me\\\" superuser login; end if; end \\\$\\\$\""
  su postgres -c "createdb -O '$me' test" 2>/dev/null || true
fi
psql -h 127.0.0.1 -d test -c 'select 1' >/dev/null
echo "PostgreSQL ready on 127.0.0.1:5432"

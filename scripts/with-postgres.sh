#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL: initdb + pg_ctl in a temp folder on a free localhost port, the command
# gets TEST_POSTGRES_CONNECTION, and the cluster is stopped and deleted afterwards (also on failure or Ctrl-C).
# initdb and pg_ctl refuse to run as root: as root they run as the unprivileged `postgres` user (runuser), otherwise as
# the current user. Installs Debian's postgresql package when the binaries are missing and this runs as root (CI).
# Usage: scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Core.Tests
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

bin=${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-postgres: installing Debian's postgresql package (no $bin/initdb)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  else
    echo "with-postgres: $bin/initdb not found. Install PostgreSQL 15 (Debian: apt-get install postgresql) or set POSTGRES_BIN." >&2
    exit 1
  fi
fi

run_as=()
if [ "$(id -u)" = 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  run_as=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/pg-test.XXXXXX")
chmod 755 "$dir"
[ ${#run_as[@]} -eq 0 ] || chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop() {
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

# Trust auth on 127.0.0.1 only, no fsync: a disposable cluster for tests, never for data anyone keeps.
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export TEST_POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=40"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)" >&2
"$@"

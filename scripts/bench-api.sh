#!/usr/bin/env bash
# API at scale: 10,000 stores and 200,000 audit rows, p99 of the dashboard's reads and the server's RSS
# (scripts/bench_api.py). Builds the test server in Release first. Not part of scripts/test.sh (a benchmark, not a test).
# Usage: scripts/bench-api.sh [--postgres] [--stores N] [--audit N] [--requests N]
#   --postgres  runs against a throwaway PostgreSQL (scripts/with-postgres.sh) instead of a SQLite file.
# Exits non-zero when a figure misses its target.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/StoreProvisioning.TestServer --configuration Release --nologo -v quiet >/dev/null
if [[ " $* " == *" --postgres "* ]]; then
  exec scripts/with-postgres.sh python3 scripts/bench_api.py "$@"
fi
exec python3 scripts/bench_api.py "$@"

#!/usr/bin/env bash
# Runs every test suite: .NET unit/repository/orchestration/API tests, chart checks under helm 3 and helm 4,
# repository tests on SQLite and PostgreSQL, dashboard component tests and the browser end-to-end run. Exits non-zero if any suite fails.
# Usage: scripts/test.sh            (installs helm/kubectl into .tools/ and npm packages on first use)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

step "Tools: helm 3, helm 4, kubectl into .tools/"
scripts/install-tools.sh

step "Build (warnings are errors)"
dotnet build Functions.sln --configuration Release

# The repository contract tests run on SQLite and on a throwaway PostgreSQL that with-postgres.sh starts (and stops).
step "dotnet test tests/StoreProvisioning.Core.Tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Core.Tests --configuration Release --no-build --logger "console;verbosity=minimal"

# The orchestration and API suites run side by side: both spend most of their time waiting on fake CLIs, timers and
# test servers, so together they take about as long as the longer one. Each writes its own log, printed in order.
# The multi-instance API tests run two test servers on one PostgreSQL (and one Azurite task hub, which they start).
step "dotnet test tests/StoreProvisioning.Functions.Tests and tests/StoreProvisioning.Api.Tests (side by side; the API tests with PostgreSQL)"
logs=$(mktemp -d "${TMPDIR:-/tmp}/test-logs.XXXXXX")
dotnet test tests/StoreProvisioning.Functions.Tests --configuration Release --no-build --logger "console;verbosity=minimal" >"$logs/functions.log" 2>&1 &
functions_pid=$!
scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Api.Tests --configuration Release --no-build --logger "console;verbosity=minimal" >"$logs/api.log" 2>&1 &
api_pid=$!
functions_rc=0 api_rc=0
wait "$functions_pid" || functions_rc=$?
wait "$api_pid" || api_rc=$?
printf '\n--- tests/StoreProvisioning.Functions.Tests (exit %s)\n' "$functions_rc"; cat "$logs/functions.log"
printf '\n--- tests/StoreProvisioning.Api.Tests (exit %s)\n' "$api_rc"; cat "$logs/api.log"
rm -rf "$logs"
[ "$functions_rc" = 0 ] && [ "$api_rc" = 0 ] || { echo "test.sh: a .NET test suite failed (see above)" >&2; exit 1; }

step "Charts: lint, template and chart tests under helm 3 and helm 4"
scripts/test-charts.sh

step "README commands: every shell block marked runnable works as written (scripts/check-readme-commands.py)"
scripts/check-readme-commands.py

step "Dashboard: install, type-check, build, component tests, browser end-to-end (frontend/ci.sh)"
E2E_DOTNET_CONFIGURATION=Release bash frontend/ci.sh

printf '\nAll test suites passed.\n'

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

# The fake helm/kubectl are python scripts started hundreds of times. Through a pyenv shim every start first runs
# several bash scripts (about ten times the interpreter's own start, and far worse on a busy machine), so the tests
# put the interpreter the shim resolves to first on PATH: the same python, started directly.
if real_python=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -x "$real_python" ]; then
  mkdir -p .tools/python-bin
  ln -sf "$real_python" .tools/python-bin/python3
  export PATH="$PWD/.tools/python-bin:$PATH"
fi

step "Build (warnings are errors)"
dotnet build Functions.sln --configuration Release

# The repository contract tests run on SQLite and on a throwaway PostgreSQL that with-postgres.sh starts (and stops).
step "dotnet test tests/StoreProvisioning.Core.Tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Core.Tests --configuration Release --no-build --logger "console;verbosity=minimal"

step "dotnet test tests/StoreProvisioning.Functions.Tests"
dotnet test tests/StoreProvisioning.Functions.Tests --configuration Release --no-build --logger "console;verbosity=minimal"

# The multi-instance tests run two test servers on one PostgreSQL (and one Azurite task hub, which they start).
step "dotnet test tests/StoreProvisioning.Api.Tests (with PostgreSQL for the multi-instance tests)"
scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Api.Tests --configuration Release --no-build --logger "console;verbosity=minimal"

step "Charts: lint, template and chart tests under helm 3 and helm 4"
scripts/test-charts.sh

step "README commands: every shell block marked runnable works as written (scripts/check-readme-commands.py)"
scripts/check-readme-commands.py

step "Dashboard: install, type-check, build, component tests, browser end-to-end (frontend/ci.sh)"
E2E_DOTNET_CONFIGURATION=Release bash frontend/ci.sh

printf '\nAll test suites passed.\n'

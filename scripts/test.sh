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

# The fake CLIs' python is started directly, not through a pyenv shim.
source scripts/direct-python.sh

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

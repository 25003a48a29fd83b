#!/usr/bin/env bash
# Everything CI needs for the dashboard, from a fresh clone (run as root on Debian, like .ci/run):
#   bash frontend/ci.sh            # install, typecheck+build, component tests, browser e2e
#   bash frontend/ci.sh --no-e2e   # skip the browser run
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${1:-}" != "--no-e2e" && ! -x /usr/bin/chromium ]]; then
  echo "installing chromium (apt)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

npm ci --no-audit --no-fund
npm run build
npm test
if [[ "${1:-}" != "--no-e2e" ]]; then
  npm run test:e2e
fi

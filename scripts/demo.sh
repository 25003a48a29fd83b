#!/usr/bin/env bash
# A demo of the control plane on SIMULATED helm and kubectl (tests/fakes): no cluster, no `func`, no Azurite.
# Needs .NET 10, Node.js 20+ and python3 (the fake CLIs are python scripts).
#
#   scripts/demo.sh                 API on http://127.0.0.1:7071, dashboard on http://127.0.0.1:5173
#   scripts/demo.sh --reset         forget the previous demo's stores and start over
#   scripts/demo.sh --no-dashboard  the API only
#
# It runs the function app's own HTTP functions and orchestrations in tests/StoreProvisioning.TestServer, keeps
# everything in .demo/ (the SQLite database, the fakes' state, logs, the admin key) and seeds a few stores on a fresh
# start, one of which fails the way a missing image does. Ctrl+C stops everything it started.
# Ports: DEMO_API_PORT (7071), DEMO_UI_PORT (5173). DEMO_DIR: where its state lives (default .demo/ in the repository;
# the e2e run points it at a temp folder). DEMO_CONFIGURATION: the build configuration (Debug).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
demo="${DEMO_DIR:-$root/.demo}"
configuration="${DEMO_CONFIGURATION:-Debug}"
api_port="${DEMO_API_PORT:-7071}"
ui_port="${DEMO_UI_PORT:-5173}"
reset=0 dashboard=1
for arg in "$@"; do
  case "$arg" in
    --reset) reset=1 ;;
    --no-dashboard) dashboard=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "demo: unknown option '$arg' (see scripts/demo.sh --help)" >&2; exit 2 ;;
  esac
done

missing=()
command -v dotnet >/dev/null 2>&1 || missing+=("dotnet: install the .NET 10 SDK: https://dot.net/download")
command -v node >/dev/null 2>&1 || missing+=("node: install Node.js 20+: https://nodejs.org")
command -v python3 >/dev/null 2>&1 || missing+=("python3: the fake helm and kubectl are python scripts (Debian: apt-get install python3)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Cannot start the demo: these are missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

# The fake CLIs' python is started directly, not through a pyenv shim.
source scripts/direct-python.sh

busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$api_port" $([ "$dashboard" = 1 ] && echo "$ui_port"); do
  if busy "$port"; then
    echo "demo: port $port is already in use (another demo or scripts/run.sh?). Stop it, or set DEMO_API_PORT / DEMO_UI_PORT." >&2
    exit 1
  fi
done

if [ "$reset" = 1 ] && [ -d "$demo" ]; then
  echo "Starting over: removing $demo"
  rm -rf "$demo"
fi
fresh=0
[ -f "$demo/stores.db" ] || fresh=1
mkdir -p "$demo/fake-cli"

# The admin key the API's authentication bootstraps from (BOOTSTRAP_ADMIN_KEY); kept so it survives restarts.
if [ ! -s "$demo/admin-key" ]; then
  (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))' > "$demo/admin-key")
fi
admin_key=$(cat "$demo/admin-key")

pids=()
stop() {
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    echo
    echo "Stopping the demo…"
    # Each child leads its own process group (setsid): SIGTERM reaches vite's node and the test server, which stops
    # its fake helm/kubectl before exiting.
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "Building the test server (tests/StoreProvisioning.TestServer)…"
dotnet build tests/StoreProvisioning.TestServer --configuration "$configuration" --nologo -v q -clp:ErrorsOnly > "$demo/build.log" 2>&1 \
  || { cat "$demo/build.log" >&2; echo "demo: the build failed (log: $demo/build.log)" >&2; exit 1; }

echo "Starting the API on simulated helm/kubectl; database and state in $demo"
HELM_PATH="$root/tests/fakes/helm" \
KUBECTL_PATH="$root/tests/fakes/kubectl" \
FAKE_CLI_STATE="$demo/fake-cli" \
FAKE_HELM_DELAY_SECONDS="${FAKE_HELM_DELAY_SECONDS:-4}" \
SQLITE_PATH="$demo/stores.db" \
CHARTS_ROOT="$root/helm" \
RECONCILE_INTERVAL="${RECONCILE_INTERVAL:-30s}" \
BOOTSTRAP_ADMIN_KEY="$admin_key" \
  setsid dotnet "tests/StoreProvisioning.TestServer/bin/$configuration/net10.0/StoreProvisioning.TestServer.dll" \
  --urls "http://127.0.0.1:$api_port" > "$demo/api.log" 2>&1 &
pids+=($!)

api="http://127.0.0.1:$api_port"
# node is the one HTTP client this script can count on (no curl needed).
node -e '
  const [url, pid] = [process.argv[1], Number(process.argv[2])];
  const deadline = Date.now() + 90000;
  (async () => {
    for (;;) {
      try { process.kill(pid, 0); } catch { console.error("demo: the API exited; see api.log in the demo folder"); process.exit(1); }
      try { const r = await fetch(url + "/api/health"); if (r.status === 200) return; } catch {}
      if (Date.now() > deadline) { console.error("demo: the API did not answer within 90 s; see api.log in the demo folder"); process.exit(1); }
      await new Promise(r => setTimeout(r, 300));
    }
  })();' "$api" "${pids[0]}"

if [ "$fresh" = 1 ]; then
  # demo-broken's first install fails as a missing image does (ImagePullBackOff); a retry succeeds.
  mkdir -p "$demo/fake-cli/behaviour"
  echo "once:upgrade:fail-imagepull" > "$demo/fake-cli/behaviour/demo-broken"
  echo "Seeding stores: demo-shop (woocommerce), demo-medusa (medusa), demo-broken (fails: ImagePullBackOff)"
  node -e '
    const [api, key] = [process.argv[1], process.argv[2]];
    const stores = [["demo-shop", "alice", "woocommerce"], ["demo-medusa", "bob", "medusa"], ["demo-broken", "alice", "woocommerce"]];
    (async () => {
      for (const [storeName, userId, engine] of stores) {
        const r = await fetch(api + "/api/stores", { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + key }, body: JSON.stringify({ storeName, userId, engine }) });
        if (r.status !== 202) { console.error(`demo: creating ${storeName} answered ${r.status}: ${await r.text()}`); process.exit(1); }
      }
    })();' "$api" "$admin_key"
fi

if [ "$dashboard" = 1 ]; then
  if [ ! -d frontend/node_modules ]; then
    echo "Installing the dashboard's packages (npm ci in frontend/)…"
    (cd frontend && npm ci --no-audit --no-fund > "$demo/npm-ci.log" 2>&1) || { cat "$demo/npm-ci.log" >&2; exit 1; }
  fi
  (cd frontend && API_PROXY_TARGET="$api" exec setsid npx vite --host 127.0.0.1 --port "$ui_port" --strictPort) > "$demo/dashboard.log" 2>&1 &
  pids+=($!)
  node -e '
    const url = process.argv[1]; const deadline = Date.now() + 60000;
    (async () => { for (;;) { try { if ((await fetch(url)).ok) return; } catch {} if (Date.now() > deadline) { console.error("demo: the dashboard did not start; see dashboard.log in the demo folder"); process.exit(1); } await new Promise(r => setTimeout(r, 300)); } })();' "http://127.0.0.1:$ui_port/"
fi

cat <<EOF

  DEMO on simulated helm and kubectl (tests/fakes): nothing here talks to a Kubernetes cluster.

  Dashboard   $([ "$dashboard" = 1 ] && echo "http://127.0.0.1:$ui_port" || echo "(not started: --no-dashboard)")
  API         $api/api/stores      health: $api/api/health
  Admin key   $admin_key   (BOOTSTRAP_ADMIN_KEY: paste it into the dashboard's sign-in screen)
  Data        $demo   (stores.db, fake-cli/, api.log; scripts/demo.sh --reset starts over)

  Try:  curl -s -X POST $api/api/stores -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' -d '{"storeName":"my-shop","userId":"alice"}'

  Ctrl+C stops everything.
EOF

# Wait until Ctrl+C or until a child exits by itself.
wait -n "${pids[@]}" || true
echo "demo: a component exited by itself; see $demo/api.log and $demo/dashboard.log" >&2
exit 1

#!/usr/bin/env bash
# Runs the control plane locally: Azurite + Azure Functions Core Tools (`func start`) + the dashboard's dev server.
# Usage: scripts/run.sh            (Ctrl+C stops everything it started)
# Without func or a cluster, scripts/demo.sh runs the API and dashboard on simulated helm/kubectl instead.
#
# Why func starts in the build output: host.json lives at the repository root, the project under src/. `func start`
# walks up from the current folder to the first host.json and builds a .csproj only when exactly one sits in that
# folder, so neither the root (no project) nor src/StoreProvisioning.Functions (whose nearest host.json is the root's)
# works as is. We build the project ourselves into .build/func — the csproj copies the root host.json and
# local.settings.json there, next to functions.metadata and the worker — and run `func start --no-build` in it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1: $2"); }
need dotnet "install the .NET 10 SDK: https://dot.net/download"
need func "install Azure Functions Core Tools v4: npm i -g azure-functions-core-tools@4 (or see https://aka.ms/func-install)"
need node "install Node.js 20+: https://nodejs.org"

# helm and kubectl: HELM_PATH / KUBECTL_PATH from the environment, else from local.settings.json (once it exists),
# else PATH, else .tools/ (where scripts/install-tools.sh puts them). A tool found in .tools/ is passed to the app by
# exporting its *_PATH (func keeps an environment variable over the settings file: "Skipping 'HELM_PATH' from local
# settings as it's already defined in current environment variables").
setting() { [ -f local.settings.json ] && command -v node >/dev/null 2>&1 && node -e 'const v=require("./local.settings.json").Values||{};process.stdout.write(String(v[process.argv[1]]||""))' "$1" || true; }
settings_hint() { [ -f local.settings.json ] && echo ", or $1 in local.settings.json (Values)" || true; }
# tool NAME VAR CANDIDATE...: prints the executable to use, empty when none is found.
tool() {
  local name="$1" var="$2" value
  shift 2
  value="${!var:-}"
  [ -n "$value" ] || value=$(setting "$var")
  # The sample's bare "helm" / "kubectl" means "from PATH", which .tools/ stands in for when PATH has none.
  if [ -n "$value" ] && [ "$value" != "$name" ]; then
    command -v "$value" 2>/dev/null || true
    return
  fi
  command -v "$name" 2>/dev/null && return
  for candidate in "$@"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 0
}
helm_bin=$(tool helm HELM_PATH "$root/.tools/helm4/helm" "$root/.tools/helm3/helm")
kubectl_bin=$(tool kubectl KUBECTL_PATH "$root/.tools/kubectl/kubectl")
[ -n "$helm_bin" ] || missing+=("helm: run scripts/install-tools.sh (puts helm 3 and 4 into .tools/), install helm 3.17+ or 4.x (https://helm.sh/docs/intro/install/), or set HELM_PATH=/path/to/helm$(settings_hint HELM_PATH)")
[ -n "$kubectl_bin" ] || missing+=("kubectl: run scripts/install-tools.sh (puts kubectl into .tools/), install kubectl (https://kubernetes.io/docs/tasks/tools/), or set KUBECTL_PATH=/path/to/kubectl$(settings_hint KUBECTL_PATH)")
case "$helm_bin" in "$root"/.tools/*) export HELM_PATH="$helm_bin"; echo "Using helm from .tools/: HELM_PATH=$HELM_PATH" ;; esac
case "$kubectl_bin" in "$root"/.tools/*) export KUBECTL_PATH="$kubectl_bin"; echo "Using kubectl from .tools/: KUBECTL_PATH=$KUBECTL_PATH" ;; esac

azurite_bin=$(command -v azurite || true)
[ -n "$azurite_bin" ] || { [ -x .tools/azurite/node_modules/.bin/azurite ] && azurite_bin="$root/.tools/azurite/node_modules/.bin/azurite"; }
[ -n "$azurite_bin" ] || missing+=("azurite: npm i -g azurite   (or: npm install --prefix .tools/azurite azurite)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Cannot start: these are missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo >&2
  echo "No func or no cluster? scripts/demo.sh runs the API and the dashboard on simulated helm/kubectl (needs only .NET, Node and python3)." >&2
  exit 1
fi

if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "Created local.settings.json from local.settings.sample.json; edit it to change settings."
fi

# The API needs a credential: without a configured BOOTSTRAP_ADMIN_KEY, make one for this run and print it once.
# func passes environment variables to the worker (local.settings.json does not override them). The dashboard is not
# given the key: paste it into its sign-in screen.
if [ -z "${BOOTSTRAP_ADMIN_KEY:-}" ] && [ -z "$(setting BOOTSTRAP_ADMIN_KEY)" ]; then
  BOOTSTRAP_ADMIN_KEY="spk_$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))')"
  export BOOTSTRAP_ADMIN_KEY
  echo "================================================================================"
  echo " Admin API key for this run (shown once; set BOOTSTRAP_ADMIN_KEY in"
  echo " local.settings.json to keep one across runs):"
  echo
  echo "   $BOOTSTRAP_ADMIN_KEY"
  echo
  echo " Sign in to the dashboard with it, or: curl -H \"Authorization: Bearer \$KEY\" ..."
  echo "================================================================================"
fi

if ! "$kubectl_bin" version --request-timeout=5s >/dev/null 2>&1; then
  echo "Warning: no Kubernetes cluster answers through KUBECONFIG. The API runs, but stores will fail to provision." >&2
  echo "         Start one, e.g.: k3d cluster create stores -p '8080:80@loadbalancer'" >&2
  echo "         Or try the product without a cluster: scripts/demo.sh (simulated helm/kubectl)." >&2
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

mkdir -p .data/azurite
if (exec 3<>/dev/tcp/127.0.0.1/10000) 2>/dev/null; then
  echo "Azurite (or another blob endpoint) already listens on 10000; using it."
else
  "$azurite_bin" --silent --skipApiVersionCheck --location .data/azurite --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
  pids+=($!)
fi

if [ -d frontend ]; then
  (cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && exec npm run dev -- --host 127.0.0.1) &
  pids+=($!)
  echo "Dashboard: http://127.0.0.1:5173 (proxies /api to http://localhost:7071)"
fi

dotnet build src/StoreProvisioning.Functions --configuration Debug --output .build/func
cd .build/func
func start --no-build --port 7071

#!/usr/bin/env bash
# Offline checks of the data-plane charts:
#   1. helm lint --strict and helm template for every chart x ci/*-values.yaml x helm 3 and helm 4:
#      the store charts (helm/woocommerce, helm/medusa), the platform chart helm/store-namespace
#      (each ci file after plans/small.yaml, and every plans/*.yaml), and lint of the library chart
#      helm/store-common. The store charts use store-common vendored in their charts/ folder
#      (committed), so nothing here runs `helm dependency build` or needs a network.
#   2. the xunit chart tests (tests/StoreProvisioning.Charts.Tests), which run the same binaries
# Quiet on success (one summary line per stage); prints the failing command and its
# output on failure; exits non-zero if anything failed.
# Binaries: HELM3_PATH / HELM4_PATH, default <repo>/.tools/helm{3,4}/helm (scripts/install-tools.sh).
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export HELM3_PATH="${HELM3_PATH:-$REPO_ROOT/.tools/helm3/helm}"
export HELM4_PATH="${HELM4_PATH:-$REPO_ROOT/.tools/helm4/helm}"
CHARTS=(woocommerce medusa store-namespace)
PLATFORM=store-namespace
LIBRARY=store-common
CHARTS+=(control-plane) # the control plane's own chart (helm/control-plane, docs/deploy.md)

for bin in "$HELM3_PATH" "$HELM4_PATH"; do
  [[ -x "$bin" ]] || { echo "test-charts: $bin not found; run scripts/install-tools.sh first" >&2; exit 2; }
done

failures=0
checks=0
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

run_check() { # description, command...
  local what="$1"; shift
  checks=$((checks + 1))
  if ! "$@" >"$out" 2>&1; then
    failures=$((failures + 1))
    echo "FAIL: $what" >&2
    echo "  \$ $*" >&2
    sed 's/^/  | /' "$out" >&2
  fi
}

for chart in "${CHARTS[@]}"; do
  dir="helm/$chart"
  shopt -s nullglob
  ci_files=("$dir"/ci/*-values.yaml)
  shopt -u nullglob
  if [[ ${#ci_files[@]} -eq 0 ]]; then
    echo "FAIL: $dir has no ci/*-values.yaml" >&2; failures=$((failures + 1)); continue
  fi
  # The platform chart always gets a plan file first, as the control plane passes it.
  plan_args=()
  [[ "$chart" == "$PLATFORM" ]] && plan_args=(-f "$dir/plans/small.yaml")
  for helm_bin in "$HELM3_PATH" "$HELM4_PATH"; do
    hv="$("$helm_bin" version --short 2>/dev/null)"
    for values in "${ci_files[@]}"; do
      run_check "helm $hv lint --strict $dir ${plan_args[*]} -f $values" "$helm_bin" lint --strict "$dir" "${plan_args[@]}" -f "$values"
      # The platform chart refuses any namespace but store-<store.name>; every ci file uses store "acme".
      run_check "helm $hv template $dir ${plan_args[*]} -f $values" "$helm_bin" template acme "$dir" --namespace store-acme "${plan_args[@]}" -f "$values"
    done
  done
done

for helm_bin in "$HELM3_PATH" "$HELM4_PATH"; do
  hv="$("$helm_bin" version --short 2>/dev/null)"
  run_check "helm $hv lint --strict helm/$LIBRARY" "$helm_bin" lint --strict "helm/$LIBRARY"
  for plan in helm/"$PLATFORM"/plans/*.yaml; do
    run_check "helm $hv template helm/$PLATFORM -f $plan" "$helm_bin" template acme "helm/$PLATFORM" --namespace store-acme \
      -f "$plan" -f "helm/$PLATFORM/ci/woocommerce-values.yaml"
  done
done

if [[ $failures -gt 0 ]]; then
  echo "test-charts: $failures of $checks helm lint/template checks FAILED" >&2
  exit 1
fi
echo "test-charts: $checks helm lint/template checks passed"

command -v dotnet >/dev/null 2>&1 || { echo "test-charts: dotnet not found (needed for tests/StoreProvisioning.Charts.Tests)" >&2; exit 2; }
log="$(mktemp)"
if ! dotnet test tests/StoreProvisioning.Charts.Tests --nologo --verbosity quiet --logger "console;verbosity=normal" >"$log" 2>&1; then
  # Each failed test with its assertion message (stack traces left in the full log).
  awk '/^ +Failed [^!]/ {show=1} /^ +(Stack Trace:|Passed )/ {show=0} show' "$log" | head -n 300 >&2
  grep -E ': error |Failed!|Total tests' "$log" >&2
  echo "test-charts: xunit chart tests FAILED (full log: $log)" >&2
  exit 1
fi
grep -E 'Passed!|Total tests|Passed: ' "$log" | tail -n 3 | sed 's/^ */test-charts: xunit: /'
rm -f "$log"

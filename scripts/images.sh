#!/usr/bin/env bash
# Builds both container images of the control plane with docker or podman, whichever exists:
#   <prefix>/control-plane:<tag>   from ./Dockerfile          (function app + helm + kubectl + store charts)
#   <prefix>/dashboard:<tag>       from ./frontend/Dockerfile (nginx + the built dashboard)
# Usage: scripts/images.sh [--push]
#   IMAGE_PREFIX  (default store-provisioning)   e.g. registry.example.com/stores
#   IMAGE_TAG     (default: appVersion of helm/control-plane/Chart.yaml, which the chart deploys by default)
#   CONTAINER_ENGINE  docker or podman (default: the first of them that exists and answers)
# Then, for k3d: k3d image import <prefix>/control-plane:<tag> <prefix>/dashboard:<tag> -c <cluster>
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

push=false
case "${1:-}" in
  "") ;;
  --push) push=true ;;
  *) echo "usage: scripts/images.sh [--push]" >&2; exit 2 ;;
esac

prefix="${IMAGE_PREFIX:-store-provisioning}"
tag="${IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' helm/control-plane/Chart.yaml)}"
[[ -n "$tag" ]] || { echo "images: could not read appVersion from helm/control-plane/Chart.yaml; set IMAGE_TAG" >&2; exit 2; }

engine="${CONTAINER_ENGINE:-}"
if [[ -z "$engine" ]]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1; then engine="$candidate"; break; fi
  done
fi
if [[ -z "$engine" ]] || ! command -v "$engine" >/dev/null 2>&1; then
  cat >&2 <<MSG
images: no container engine found (looked for ${engine:-docker and podman} on PATH).
  Install one, e.g. Docker Engine (https://docs.docker.com/engine/install/) or 'apt-get install -y podman',
  or set CONTAINER_ENGINE to its path. Nothing was built.
MSG
  exit 3
fi
if ! "$engine" info >/dev/null 2>&1; then
  echo "images: '$engine' is installed but does not answer ('$engine info' failed): start its daemon/service or check your permissions. Nothing was built." >&2
  exit 3
fi

functions_image="$prefix/control-plane:$tag"
dashboard_image="$prefix/dashboard:$tag"

echo "images: building $functions_image with $engine"
"$engine" build --file Dockerfile --tag "$functions_image" .
echo "images: building $dashboard_image with $engine"
"$engine" build --file frontend/Dockerfile --tag "$dashboard_image" frontend

if $push; then
  "$engine" push "$functions_image"
  "$engine" push "$dashboard_image"
fi
echo "images: built $functions_image and $dashboard_image"

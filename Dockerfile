# Containerized function app: the control plane with helm, kubectl and the charts it installs.
# Build: docker build -t store-provisioning .
# Run:   docker run -p 8080:80 -e AzureWebJobsStorage=... -v store-data:/home/data -v ~/.kube:/root/.kube:ro store-provisioning
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props host.json ./
COPY src/ src/
RUN dotnet publish src/StoreProvisioning.Functions --configuration Release --output /home/site/wwwroot

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
ARG HELM_VERSION=v3.17.3
ARG KUBECTL_VERSION=v1.31.9
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSL "https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin --strip-components=1 linux-amd64/helm \
 && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
 && chmod +x /usr/local/bin/kubectl \
 && rm -rf /var/lib/apt/lists/*
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    CHARTS_ROOT=/home/site/charts \
    SQLITE_PATH=/home/data/stores.db \
    RECONCILE_SCHEDULE="0 */1 * * * *"
COPY --from=build /home/site/wwwroot /home/site/wwwroot
COPY helm/woocommerce /home/site/charts/woocommerce
COPY helm/medusa /home/site/charts/medusa
# The platform chart the control plane renders and applies to each store namespace before the release.
COPY helm/store-namespace /home/site/charts/store-namespace

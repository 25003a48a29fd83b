using System.Text.Json;
using StoreProvisioning.Configuration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The values file of the platform chart helm/store-namespace for one store: its name, id and engine from the row,
/// the rest from operator settings. Never from a request. The plan's quota and limits come from the plan's own
/// values file, passed before this one.
/// </summary>
public static class PlatformValues
{
    public static string Build(Store store, StoreProvisioningOptions options, IReadOnlyList<string> apiServerCidrs) =>
        JsonSerializer.Serialize(new
        {
            store = new { name = store.Name, id = store.Id, engine = store.Engine.Name() },
            podSecurity = new { version = options.PodSecurityVersion },
            networkPolicy = new
            {
                enabled = options.IsolationEnabled,
                ingressControllerNamespace = options.IngressControllerNamespace,
                controlPlaneNamespace = options.ControlPlaneNamespace,
                apiServerCidrs,
                blockedCidrs = options.BlockedCidrs,
            },
            // The RoleBinding that lets the control plane's ServiceAccount act in the namespace; empty: none.
            controlPlaneAccess = new
            {
                clusterRole = options.StoreNamespaceClusterRole ?? "",
                serviceAccount = options.ControlPlaneServiceAccount ?? "",
                serviceAccountNamespace = options.StoreNamespaceClusterRole is null ? "" : options.ControlPlaneNamespace,
            },
        });
}

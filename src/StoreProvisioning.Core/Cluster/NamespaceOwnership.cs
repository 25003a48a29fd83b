using System.Text.Json;

namespace StoreProvisioning.Cluster;

/// <summary>What the control plane may do with an existing namespace store-{name}.</summary>
public enum NamespaceClaim
{
    /// <summary>No such namespace: the platform chart creates it.</summary>
    Absent,

    /// <summary>Labelled with this store's id (or an older store namespace adopted by an existing store): apply and go on.</summary>
    Ours,

    /// <summary>Still being deleted: nothing can go into it until it is gone.</summary>
    Terminating,

    /// <summary>Labelled for another store id, or not the control plane's: refuse the install.</summary>
    Foreign,
}

/// <summary>
/// Decides from `kubectl get namespace -o json` whether a store may use its namespace. Namespaces carry the store's
/// id (label <see cref="StoreIdLabel"/>), so a store never installs into one left by another store of the same name.
/// Pure (observe → decide).
/// </summary>
public static class NamespaceOwnership
{
    public const string StoreIdLabel = "store-provisioning.io/store-id";
    public const string StoreLabel = "store-provisioning.io/store";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "store-provisioning";

    /// <summary>The claim and, unless it is Absent or Ours, the reason a person reads on the FAILED store.</summary>
    /// <param name="adoptUnlabelled">
    /// True for an existing store's upgrade or retry: a namespace created before namespaces carried ids (managed by
    /// the control plane, labelled with this store's name, no id) is taken over and gets the id. A first install
    /// never adopts one: it may be the leftover of a deleted store.
    /// </param>
    public static (NamespaceClaim Claim, string? Reason) Decide(JsonElement? ns, string storeId, string storeName, bool adoptUnlabelled)
    {
        if (ns is not { ValueKind: JsonValueKind.Object } root)
        {
            return (NamespaceClaim.Absent, null);
        }

        var name = Text(root, "metadata", "name") ?? $"store-{storeName}";
        var labels = root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
        string? Label(string key) => labels is { } ls && ls.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        if (Text(root, "status", "phase") == "Terminating")
        {
            return (NamespaceClaim.Terminating, $"namespace {name} is still being deleted (Terminating); try again once it is gone");
        }

        var id = Label(StoreIdLabel);
        if (id == storeId)
        {
            return (NamespaceClaim.Ours, null);
        }

        if (id is not null)
        {
            return (NamespaceClaim.Foreign, $"namespace {name} is labelled {StoreIdLabel}={id}, another store's id (this store is {storeId}); it was left by an earlier store of that name: delete it, or ask an operator to");
        }

        if (adoptUnlabelled && Label(ManagedByLabel) == ManagedBy && Label(StoreLabel) == storeName)
        {
            return (NamespaceClaim.Ours, null);
        }

        return (NamespaceClaim.Foreign, $"namespace {name} exists without a {StoreIdLabel} label, so it was not created for this store; delete it or choose another store name");
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}

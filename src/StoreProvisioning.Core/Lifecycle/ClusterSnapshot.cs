using System.Text.Json;
using StoreProvisioning.Cluster;

namespace StoreProvisioning.Lifecycle;

/// <summary>One managed namespace as the snapshot saw it: the store id it is labelled for, its phase, its platform objects.</summary>
/// <param name="Objects">Its platform objects as "Kind/name".</param>
public sealed record NamespaceView(string Name, string? StoreId, bool Terminating, IReadOnlySet<string> Objects);

/// <summary>
/// What one reconciler pass saw of the cluster in two calls: every managed release (`helm list`) and every managed
/// namespace with its platform objects (`kubectl get … --selector`). Pure: built from their output, read by lookups.
/// </summary>
public sealed class ClusterSnapshot
{
    private readonly Dictionary<(string Namespace, string Name), HelmReleaseStatus> releases;
    private readonly Dictionary<string, NamespaceView> namespaces;

    private ClusterSnapshot(Dictionary<(string, string), HelmReleaseStatus> releases, Dictionary<string, NamespaceView> namespaces)
    {
        this.releases = releases;
        this.namespaces = namespaces;
    }

    /// <summary>From `helm list` rows and the `kubectl get … -o json` List.</summary>
    public static ClusterSnapshot Read(IEnumerable<HelmListedRelease> releases, JsonElement platformList)
    {
        var byRelease = new Dictionary<(string, string), HelmReleaseStatus>();
        foreach (var release in releases)
        {
            byRelease[(release.Namespace, release.Name)] = release.Status;
        }

        var labels = new Dictionary<string, (string? StoreId, bool Terminating)>(StringComparer.Ordinal);
        var objects = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var items = platformList.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : default;
        foreach (var item in items)
        {
            var kind = Text(item, "kind");
            var metadata = item.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            var name = metadata.ValueKind == JsonValueKind.Object ? Text(metadata, "name") : null;
            if (kind is null || name is null)
            {
                continue;
            }

            if (kind == "Namespace")
            {
                var storeId = metadata.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object ? Text(l, NamespaceOwnership.StoreIdLabel) : null;
                var phase = item.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? Text(s, "phase") : null;
                labels[name] = (storeId, phase == "Terminating");
            }
            else if (Text(metadata, "namespace") is { } ns)
            {
                (objects.TryGetValue(ns, out var set) ? set : objects[ns] = new HashSet<string>(StringComparer.Ordinal)).Add($"{kind}/{name}");
            }
        }

        var byNamespace = labels.ToDictionary(
            kv => kv.Key,
            kv => new NamespaceView(kv.Key, kv.Value.StoreId, kv.Value.Terminating, objects.TryGetValue(kv.Key, out var set) ? set : new HashSet<string>()),
            StringComparer.Ordinal);
        return new ClusterSnapshot(byRelease, byNamespace);
    }

    /// <summary>The release's latest revision, or null when helm lists no managed release of that name there.</summary>
    public HelmReleaseStatus? Release(string ns, string name) => releases.GetValueOrDefault((ns, name));

    /// <summary>The managed namespace, or null when there is none of that name.</summary>
    public NamespaceView? Namespace(string ns) => namespaces.GetValueOrDefault(ns);

    /// <summary>
    /// Why the store's platform isolation differs from <paramref name="expected"/> (its render's objects), or null when
    /// it does not: the namespace is missing, labelled for another store id, or lacks objects the render has.
    /// </summary>
    public static string? IsolationDrift(NamespaceView? ns, string nsName, string storeId, IReadOnlySet<string> expected)
    {
        if (ns is null)
        {
            return $"namespace {nsName} is missing or not labelled as managed";
        }

        if (ns.StoreId != storeId)
        {
            return $"namespace {nsName} is labelled for store id '{ns.StoreId}', not '{storeId}'";
        }

        var missing = expected.Where(e => !ns.Objects.Contains(e)).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0 ? null : $"namespace {nsName} lacks {string.Join(", ", missing)}";
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Cluster;

/// <summary>
/// Defence in depth at apply time: decides from a release's rendered manifests (`helm template` with the same values)
/// whether it may be applied. Refused: any cluster-scoped object, any object in another namespace, any kind outside
/// the store charts' allow-list, and anything that does not parse. Pure (observe → decide).
/// </summary>
public static class RenderGuard
{
    /// <summary>Every kind the store charts render (helm/README.md, "What a release may contain"). Nothing else is applied.</summary>
    public static readonly IReadOnlySet<string> AllowedKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "ConfigMap", "Deployment", "Ingress", "Job", "PersistentVolumeClaim", "Pod", "Secret", "Service", "StatefulSet",
    };

    /// <summary>Cluster-scoped kinds, named as such in the reason (all are outside the allow-list anyway).</summary>
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass",
        "PriorityClass", "IngressClass", "RuntimeClass", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CSIDriver", "CSINode", "VolumeAttachment",
        "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration", "ComponentStatus",
    };

    /// <summary>Null when every rendered object may be applied in <paramref name="ns"/>; otherwise why not, naming each offending object.</summary>
    public static string? Check(string manifests, string ns) => Check(manifests, ns, AllowedKinds);

    public static string? Check(string manifests, string ns, IReadOnlySet<string> allowedKinds)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(manifests));
        }
        catch (YamlException ex)
        {
            return $"the rendered manifests are not valid YAML ({ex.Start}): a value may have reached a template unquoted";
        }

        var problems = new List<string>();
        var objects = 0;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" } || document.RootNode is YamlMappingNode { Children.Count: 0 })
            {
                continue; // an empty document between separators
            }

            objects++;
            if (document.RootNode is not YamlMappingNode root)
            {
                problems.Add("a document that is not an object");
                continue;
            }

            var kind = Scalar(root, "kind");
            var metadata = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
            var name = metadata is null ? null : Scalar(metadata, "name");
            var objectNamespace = metadata is null ? null : Scalar(metadata, "namespace");
            var label = $"{kind ?? "(no kind)"}/{name ?? "(no name)"}";
            if (kind is null)
            {
                problems.Add($"{label} has no kind");
            }
            else if (ClusterScopedKinds.Contains(kind))
            {
                problems.Add($"{label} is cluster-scoped");
            }
            else if (!allowedKinds.Contains(kind))
            {
                problems.Add($"{label}: kind {kind} is not in the chart's allow-list ({string.Join(", ", allowedKinds.Order(StringComparer.Ordinal))})");
            }

            if (objectNamespace is not null && objectNamespace != ns)
            {
                problems.Add($"{label} is in namespace {objectNamespace}, not {ns}");
            }
        }

        if (problems.Count == 0)
        {
            return objects == 0 ? "the chart rendered no objects" : null;
        }

        return "the rendered release would create " + string.Join("; ", problems.Take(5))
            + (problems.Count > 5 ? $" (+{problems.Count - 5} more)" : string.Empty);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
}

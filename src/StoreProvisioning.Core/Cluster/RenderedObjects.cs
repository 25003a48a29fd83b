using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Cluster;

/// <summary>The objects a render holds, as "Kind/name" (what the reconciler expects to find in a namespace). Pure.</summary>
public static class RenderedObjects
{
    /// <summary>Every namespaced object of the render (the Namespace itself left out), as "Kind/name".</summary>
    public static IReadOnlySet<string> NamespacedIn(string manifests)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(manifests));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"the platform render is not valid YAML ({ex.Start})", ex);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>())
        {
            var kind = Scalar(root, "kind");
            var name = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) && m is YamlMappingNode metadata ? Scalar(metadata, "name") : null;
            if (kind is not null && name is not null && kind != "Namespace")
            {
                names.Add($"{kind}/{name}");
            }
        }

        return names;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
}

using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>One rendered Kubernetes object.</summary>
public sealed class K8sObject(YamlMappingNode root, string raw)
{
    public YamlMappingNode Root { get; } = root;
    public string Raw { get; } = raw;
    public string Kind => Root.Str("kind") ?? "";
    public string Name => Root.Get("metadata", "name")?.ToString() ?? "";
    public string Id => $"{Kind}/{Name}";
    public YamlMappingNode? Metadata => Root.Get("metadata") as YamlMappingNode;
    public IReadOnlyDictionary<string, string> Labels => Root.Get("metadata", "labels").AsStringMap();
    public IReadOnlyDictionary<string, string> Annotations => Root.Get("metadata", "annotations").AsStringMap();

    /// <summary>The pod spec of a workload, Job or Pod; null for other kinds.</summary>
    public YamlMappingNode? PodSpec => Kind switch
    {
        "Pod" => Root.Get("spec") as YamlMappingNode,
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => Root.Get("spec", "template", "spec") as YamlMappingNode,
        "CronJob" => Root.Get("spec", "jobTemplate", "spec", "template", "spec") as YamlMappingNode,
        _ => null,
    };

    /// <summary>(kind: "container"|"initContainer", node) for every container of the pod spec.</summary>
    public IEnumerable<(string Kind, YamlMappingNode Node)> Containers()
    {
        var spec = PodSpec;
        if (spec is null) yield break;
        foreach (var key in new[] { "initContainers", "containers" })
        {
            if (spec.Get(key) is YamlSequenceNode seq)
                foreach (var c in seq.Children.OfType<YamlMappingNode>())
                    yield return (key, c);
        }
    }

    public string ContainerId(YamlMappingNode c) => $"{Id} {c.Str("name")}";
}

public static class Manifests
{
    /// <summary>Splits helm template output into objects (empty documents are dropped).</summary>
    public static List<K8sObject> Parse(string helmOutput)
    {
        var result = new List<K8sObject>();
        foreach (var raw in SplitDocuments(helmOutput))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(raw));
            foreach (var doc in stream.Documents)
                if (doc.RootNode is YamlMappingNode m && m.Children.Count > 0)
                    result.Add(new K8sObject(m, raw));
        }
        return result;
    }

    public static IEnumerable<string> SplitDocuments(string text)
    {
        var docs = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimEnd() == "---")
            {
                docs.Add(current.ToString());
                current.Clear();
            }
            else current.Append(line).Append('\n');
        }
        docs.Add(current.ToString());
        return docs.Where(d => d.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')));
    }

    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode m) return null;
            if (!m.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }
        return node;
    }

    public static string? Str(this YamlNode? node, params string[] path) =>
        node.Get(path) is YamlScalarNode s ? s.Value : null;

    public static IReadOnlyDictionary<string, string> AsStringMap(this YamlNode? node) =>
        node is YamlMappingNode m
            ? m.Children.ToDictionary(kv => kv.Key.ToString(), kv => (kv.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    public static YamlMappingNode LoadMapping(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}

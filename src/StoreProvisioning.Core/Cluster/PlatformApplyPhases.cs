using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The platform chart's render in the two `kubectl apply` calls it needs under least-privilege RBAC. The control
/// plane's ServiceAccount may create namespaces and the RoleBinding `store-provisioning` cluster-wide (held to store
/// namespaces by the admission policy), but everything else in a store namespace only through that RoleBinding. So
/// <see cref="Access"/> (the Namespace and the RoleBinding) goes first and <see cref="Contents"/> (quota, limits,
/// network policies) after it. helm sorts a RoleBinding after those, so one apply would be refused in a new namespace.
/// Pure.
/// </summary>
/// <param name="Access">The Namespace and the control plane's RoleBinding (if rendered).</param>
/// <param name="Contents">Every other object of the render.</param>
/// <param name="GrantsAccess">Whether <see cref="Access"/> holds a RoleBinding (the control plane's rights arrive with it).</param>
public sealed record PlatformApplyPhases(string Access, string Contents, bool GrantsAccess)
{
    private static readonly HashSet<string> AccessKinds = new(StringComparer.Ordinal) { "Namespace", "RoleBinding" };

    /// <summary>Splits a `helm template` render at its document markers (a line `---`) by each document's kind.</summary>
    public static PlatformApplyPhases Split(string render)
    {
        var access = new List<string>();
        var contents = new List<string>();
        var grants = false;
        foreach (var document in Documents(render))
        {
            var kind = KindOf(document);
            if (kind is null)
            {
                continue; // only comments or blank
            }

            if (AccessKinds.Contains(kind))
            {
                access.Add(document);
                grants |= kind == "RoleBinding";
            }
            else
            {
                contents.Add(document);
            }
        }

        return new PlatformApplyPhases(Join(access), Join(contents), grants);
    }

    private static IEnumerable<string> Documents(string render)
    {
        var current = new List<string>();
        foreach (var line in render.Split('\n'))
        {
            // A document marker always starts a line; inside a block scalar a line is indented.
            if (line.TrimEnd('\r', ' ') == "---")
            {
                yield return string.Join('\n', current);
                current.Clear();
                continue;
            }

            current.Add(line);
        }

        yield return string.Join('\n', current);
    }

    private static string? KindOf(string document)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(document));
        }
        catch (YamlException ex)
        {
            throw new InvalidOperationException($"the platform chart's render is not valid YAML ({ex.Start})", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        return root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) && kind is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new InvalidOperationException("the platform chart's render holds an object without a kind");
    }

    private static string Join(List<string> documents) =>
        string.Concat(documents.Select(d => "---\n" + d.Trim('\n') + "\n"));
}

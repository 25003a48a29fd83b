using System.Net;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests.Infrastructure;

/// <summary>A pod (Namespace set) or an address outside the cluster (Namespace null), as a NetworkPolicy sees it.</summary>
public sealed record Endpoint(string Name, string? Namespace, IReadOnlyDictionary<string, string> Labels, string Ip)
{
    public static Endpoint Pod(string name, string ns, string ip, params (string Key, string Value)[] labels) =>
        new(name, ns, labels.ToDictionary(l => l.Key, l => l.Value), ip);

    public static Endpoint External(string name, string ip) => new(name, null, new Dictionary<string, string>(), ip);

    public override string ToString() => Namespace is null ? $"{Name} ({Ip})" : $"{Namespace}/{Name}";
}

/// <summary>
/// Evaluates networking.k8s.io/v1 NetworkPolicies the way the API defines them: a pod selected by any policy of a
/// policy type is isolated for that direction, and a connection needs an egress allow at the source and an ingress
/// allow at the destination (unselected pods and outside addresses allow everything). Named ports are not modelled.
/// </summary>
public sealed class NetworkModel(IEnumerable<K8sObject> policies)
{
    private readonly List<K8sObject> policies = [.. policies.Where(p => p.Kind == "NetworkPolicy")];

    public bool Allows(Endpoint from, Endpoint to, int port, string protocol = "TCP") =>
        Allowed(from, to, port, protocol, "Egress", "egress", "to", from) &&
        Allowed(from, to, port, protocol, "Ingress", "ingress", "from", to);

    private bool Allowed(Endpoint from, Endpoint to, int port, string protocol, string type, string rulesKey, string peersKey, Endpoint subject)
    {
        if (subject.Namespace is null) return true;
        var selecting = policies.Where(p => Namespace(p) == subject.Namespace && Types(p).Contains(type)
                                            && Matches(p.Root.Get("spec", "podSelector") as YamlMappingNode, subject.Labels)).ToList();
        if (selecting.Count == 0) return true;
        var peer = type == "Egress" ? to : from;
        foreach (var p in selecting)
            if (p.Root.Get("spec", rulesKey) is YamlSequenceNode rules)
                foreach (var rule in rules.Children.OfType<YamlMappingNode>())
                    if (PortMatches(rule.Get("ports") as YamlSequenceNode, port, protocol) &&
                        (rule.Get(peersKey) is not YamlSequenceNode peers || peers.Children.Any(x => PeerMatches((YamlMappingNode)x, Namespace(p), peer))))
                        return true;
        return false;
    }

    private static string Namespace(K8sObject p) => p.Root.Str("metadata", "namespace") ?? "";

    private static List<string> Types(K8sObject p) =>
        p.Root.Get("spec", "policyTypes") is YamlSequenceNode t
            ? [.. t.Children.Select(c => c.ToString())]
            : p.Root.Get("spec", "egress") is null ? ["Ingress"] : ["Ingress", "Egress"];

    private static bool PortMatches(YamlSequenceNode? ports, int port, string protocol) =>
        ports is null || ports.Children.Any(p => (p.Str("protocol") ?? "TCP") == protocol && (p.Str("port") is not { } n || n == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static bool PeerMatches(YamlMappingNode peer, string policyNamespace, Endpoint e)
    {
        if (peer.Get("ipBlock") is YamlMappingNode block)
            return InCidr(e.Ip, block.Str("cidr")!) &&
                   !((block.Get("except") as YamlSequenceNode)?.Children.Any(x => InCidr(e.Ip, x.ToString())) ?? false);
        if (e.Namespace is null) return false;
        var nsSelector = peer.Get("namespaceSelector") as YamlMappingNode;
        var nsOk = nsSelector is null
            ? e.Namespace == policyNamespace
            : Matches(nsSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = e.Namespace });
        var podSelector = peer.Get("podSelector") as YamlMappingNode;
        return nsOk && (podSelector is null || Matches(podSelector, e.Labels));
    }

    public static bool Matches(YamlMappingNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return false;
        foreach (var (k, v) in selector.Get("matchLabels").AsStringMap())
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        if (selector.Get("matchExpressions") is YamlSequenceNode exprs)
            foreach (var x in exprs.Children)
            {
                var key = x.Str("key")!;
                var values = (x.Get("values") as YamlSequenceNode)?.Children.Select(c => c.ToString()).ToList() ?? [];
                var has = labels.TryGetValue(key, out var actual);
                var ok = x.Str("operator") switch
                {
                    "In" => has && values.Contains(actual!),
                    "NotIn" => !has || !values.Contains(actual!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    var op => throw new InvalidOperationException($"unknown selector operator {op}"),
                };
                if (!ok) return false;
            }
        return true;
    }

    public static bool InCidr(string ip, string cidr)
    {
        var parts = cidr.Split('/');
        var network = IPAddress.Parse(parts[0]).GetAddressBytes();
        var address = IPAddress.Parse(ip).GetAddressBytes();
        if (network.Length != address.Length) return false;
        var bits = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < network.Length; i++)
        {
            var take = Math.Clamp(bits - i * 8, 0, 8);
            var mask = take == 0 ? 0 : (byte)(0xFF << (8 - take));
            if ((network[i] & mask) != (address[i] & mask)) return false;
        }
        return true;
    }
}

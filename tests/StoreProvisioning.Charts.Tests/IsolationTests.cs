using StoreProvisioning.Charts.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>Tenant isolation: ResourceQuota, LimitRange and NetworkPolicies, each switchable.</summary>
public class IsolationTests
{
    private static readonly Dictionary<string, string> WebComponent = new() { ["woocommerce"] = "wordpress", ["medusa"] = "server" };

    public static TheoryData<string, string, string, string> Toggles()
    {
        var d = new TheoryData<string, string, string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in Helm.Charts)
            {
                d.Add(v, c, "quota.enabled", "ResourceQuota");
                d.Add(v, c, "limitRange.enabled", "LimitRange");
                d.Add(v, c, "networkPolicy.enabled", "NetworkPolicy");
            }
        return d;
    }

    // Proves each isolation object is rendered by default and disappears when only its own switch is false.
    [Theory]
    [MemberData(nameof(Toggles))]
    public void Isolation_object_present_when_enabled_absent_when_disabled(string helm, string chart, string flag, string kind)
    {
        var on = Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml").StdOut);
        Assert.Contains(on, o => o.Kind == kind);
        var off = Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml", "--set", $"{flag}=false").StdOut);
        Assert.DoesNotContain(off, o => o.Kind == kind);
        var otherKinds = new[] { "ResourceQuota", "LimitRange", "NetworkPolicy" }.Where(k => k != kind);
        Assert.All(otherKinds, k => Assert.Contains(off, o => o.Kind == k));
    }

    // Proves the LimitRange gives containers default requests and limits and the ResourceQuota caps compute and storage.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Quota_and_limit_range_have_defaults(string helm, string chart)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml").StdOut);
        var lr = Assert.Single(objects, o => o.Kind == "LimitRange");
        var item = (YamlMappingNode)((YamlSequenceNode)lr.Root.Get("spec", "limits")!).Children[0];
        Assert.Equal("Container", item.Str("type"));
        foreach (var section in new[] { "default", "defaultRequest" })
            foreach (var res in new[] { "cpu", "memory" })
                Assert.False(string.IsNullOrEmpty(item.Str(section, res)), $"LimitRange {section}.{res} missing");
        var quota = Assert.Single(objects, o => o.Kind == "ResourceQuota").Root.Get("spec", "hard").AsStringMap();
        foreach (var key in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "requests.storage", "persistentvolumeclaims" })
            Assert.True(quota.ContainsKey(key), $"ResourceQuota hard.{key} missing");
    }

    // Proves the network policies: default deny in+out, DNS to kube-system, web only from kube-system ingress, data stores only from the app.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Network_policies_deny_by_default_and_allow_only_the_needed_paths(string helm, string chart)
    {
        var policies = Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml").StdOut).Where(o => o.Kind == "NetworkPolicy").ToList();

        var deny = Assert.Single(policies, p => p.Root.Get("spec", "podSelector") is YamlMappingNode { Children.Count: 0 }
                                                && p.Root.Get("spec", "ingress") is null && p.Root.Get("spec", "egress") is null);
        Assert.Equal(["Ingress", "Egress"], ((YamlSequenceNode)deny.Root.Get("spec", "policyTypes")!).Children.Select(c => c.ToString()));

        var dns = Assert.Single(policies, p => p.Raw.Contains("port: 53"));
        Assert.Contains("kubernetes.io/metadata.name: kube-system", dns.Raw);
        Assert.Contains("protocol: UDP", dns.Raw);
        Assert.Contains("protocol: TCP", dns.Raw);

        var web = WebComponent[chart];
        var webIngress = Assert.Single(policies, p => p.Root.Str("spec", "podSelector", "matchLabels", "app.kubernetes.io/component") == web
                                                      && p.Root.Get("spec", "ingress") is not null);
        var from = (YamlSequenceNode)webIngress.Root.Get("spec", "ingress")!;
        Assert.Contains(from.Children.SelectMany(r => ((YamlSequenceNode)r.Get("from")!).Children),
            peer => peer.Str("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "kube-system");

        // Data stores accept traffic only from pods of this release (podSelector peers, no namespaceSelector/ipBlock).
        var dataComponents = chart == "woocommerce" ? new[] { "mariadb" } : ["postgresql", "redis"];
        foreach (var comp in dataComponents)
        {
            var p = Assert.Single(policies, p => p.Root.Str("spec", "podSelector", "matchLabels", "app.kubernetes.io/component") == comp);
            var peers = ((YamlSequenceNode)p.Root.Get("spec", "ingress")!).Children.SelectMany(r => ((YamlSequenceNode)r.Get("from")!).Children).ToList();
            Assert.All(peers, peer => Assert.True(peer.Get("podSelector") is not null && peer.Get("namespaceSelector") is null && peer.Get("ipBlock") is null, $"{p.Id} allows a non-pod peer"));
        }

        // Internet egress (ipBlock) only for the WooCommerce setup Job; Medusa needs none by default.
        var internet = policies.Where(p => p.Raw.Contains("ipBlock")).ToList();
        if (chart == "woocommerce")
        {
            var p = Assert.Single(internet);
            Assert.Contains("setup", p.Raw);
            Assert.DoesNotContain("\"wordpress\"", p.Root.Get("spec", "podSelector")!.ToString());
        }
        else Assert.Empty(internet);
    }
}

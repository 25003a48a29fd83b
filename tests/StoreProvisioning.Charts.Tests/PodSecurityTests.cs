using StoreProvisioning.Charts.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>Every store pod passes Pod Security "restricted", which the platform enforces on every store namespace.</summary>
public class PodSecurityTests
{
    // Every pod spec the store charts render (workloads, init containers, hook Jobs, the helm test pod), for every ci
    // values file, under helm 3 and helm 4, passes the restricted profile.
    [Theory]
    [MemberData(nameof(Data.VersionsChartsAndCiFiles), MemberType = typeof(Data))]
    public void Every_pod_passes_the_restricted_profile(string helm, string chart, string ciFile)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, chart, ciFile).StdOut);
        var pods = objects.Where(o => o.PodSpec is not null).ToList();
        Assert.Contains(pods, o => o.Kind == "Job" && o.Annotations.ContainsKey("helm.sh/hook"));
        Assert.Contains(pods, o => o.Kind == "Pod" && o.Annotations.GetValueOrDefault("helm.sh/hook") == "test");
        Assert.Contains(pods, o => o.Kind == "StatefulSet");
        var violations = pods.SelectMany(o => PodSecurity.RestrictedViolations(o.Id, o.PodSpec!)).ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    // Each store process runs as its image's own non-root user, so the images start unchanged under restricted.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Each_container_runs_as_its_images_non_root_user(string helm, string chart)
    {
        var expected = chart == "woocommerce"
            ? new Dictionary<string, string> { ["wordpress"] = "33", ["mariadb"] = "999", ["wp-cli"] = "33", ["curl"] = "100" }
            : new Dictionary<string, string> { ["medusa"] = "1000", ["migrate"] = "1000", ["postgresql"] = "999", ["redis"] = "999", ["create-admin"] = "1000", ["curl"] = "100" };
        var seen = new Dictionary<string, string>();
        foreach (var o in Manifests.Parse(Helm.TemplateCi(helm, chart, "default-values.yaml").StdOut))
            foreach (var (_, c) in o.Containers())
                seen[c.Str("name")!] = c.Str("securityContext", "runAsUser") ?? o.PodSpec.Str("securityContext", "runAsUser") ?? "(unset)";
        Assert.Equal(expected.OrderBy(kv => kv.Key), seen.OrderBy(kv => kv.Key));
    }

    // WordPress runs as www-data: Apache listens on the unprivileged 8080 (ports.conf and the default site replaced),
    // the Service still answers on 80 and the Ingress points at the named port.
    [Theory]
    [InlineData(Helm.V3)]
    [InlineData(Helm.V4)]
    public void WordPress_serves_apache_on_an_unprivileged_port(string helm)
    {
        var objects = Manifests.Parse(Helm.TemplateCi(helm, "woocommerce", "default-values.yaml").StdOut);
        var deployment = Assert.Single(objects, o => o.Kind == "Deployment" && o.Name == "acme-wordpress");
        var c = Assert.Single(deployment.Containers()).Node;
        var port = Assert.Single(((YamlSequenceNode)c.Get("ports")!).Children);
        Assert.Equal("8080", port.Str("containerPort"));
        Assert.Equal("http", port.Str("name"));
        var mounts = ((YamlSequenceNode)c.Get("volumeMounts")!).Children.ToDictionary(m => m.Str("mountPath")!, m => m);
        Assert.Equal("ports.conf", mounts["/etc/apache2/ports.conf"].Str("subPath"));
        Assert.Equal("000-default.conf", mounts["/etc/apache2/sites-available/000-default.conf"].Str("subPath"));
        var config = Assert.Single(objects, o => o.Kind == "ConfigMap" && o.Name == "acme-apache").Root.Get("data").AsStringMap();
        Assert.Equal("Listen 8080", config["ports.conf"].Trim());
        Assert.StartsWith("<VirtualHost *:8080>", config["000-default.conf"]);
        Assert.Contains("DocumentRoot /var/www/html", config["000-default.conf"]);
        var service = Assert.Single(objects, o => o.Kind == "Service" && o.Name == "acme-wordpress");
        var servicePort = Assert.Single(((YamlSequenceNode)service.Root.Get("spec", "ports")!).Children);
        Assert.Equal(("80", "http"), (servicePort.Str("port"), servicePort.Str("targetPort")));
    }

    // The checker itself: the old WordPress container (root, extra capabilities, no seccomp on the container) and a
    // host-path, host-network pod are caught — so the test above can fail.
    [Fact]
    public void The_restricted_check_catches_root_and_host_access()
    {
        var yaml = """
            hostNetwork: true
            securityContext:
              fsGroup: 33
            containers:
              - name: wordpress
                securityContext:
                  runAsNonRoot: false
                  runAsUser: 0
                  allowPrivilegeEscalation: false
                  capabilities:
                    drop: ["ALL"]
                    add: ["CHOWN", "NET_BIND_SERVICE", "SETUID"]
                ports:
                  - containerPort: 80
                    hostPort: 80
            volumes:
              - name: host
                hostPath:
                  path: /var/run
            """;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var v = PodSecurity.RestrictedViolations("Deployment/old", (YamlMappingNode)stream.Documents[0].RootNode);
        foreach (var expected in new[] { "hostNetwork", "hostPath", "runAsNonRoot", "runAsUser is 0", "seccompProfile", "adds capability CHOWN", "adds capability SETUID", "hostPort 80" })
            Assert.Contains(v, line => line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(v, line => line.Contains("NET_BIND_SERVICE", StringComparison.Ordinal));
    }
}

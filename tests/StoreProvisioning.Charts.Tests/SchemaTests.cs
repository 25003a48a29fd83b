using System.Text.RegularExpressions;
using StoreProvisioning.Charts.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Charts.Tests;

/// <summary>values.schema.json rejects bad input with a message naming the field.</summary>
public class SchemaTests
{
    public static TheoryData<string, string, string, string, string> Violations()
    {
        // case name, extra helm args (space-separated, after the contract fixture), regex the error must match
        var cases = new (string Case, string Args, string Expect)[]
        {
            ("bad store.name", "--set store.name=Bad_Name", @"store[./]name"),
            ("store.name too short", "--set store.name=ab", @"store[./]name"),
            ("credentials extra key", "--set credentials.extraKey=x", @"credentials[\s\S]*extraKey|extraKey[\s\S]*credentials"),
            ("resources wrong type", "--set resources=big", @"resources"),
            ("missing store", "--set store=null", @"store"),
            ("missing store.url", "--set store.url=null", @"store[\s\S]*url|url[\s\S]*store"),
            ("replicaCount wrong type", "--set-string replicaCount=two", @"replicaCount"),
            ("ingress.enabled wrong type", "--set-string ingress.enabled=yes", @"ingress[./]enabled"),
            ("isolation switch is not a tenant value", "--set quota.enabled=false", @"quota"),
            ("security context is not a value", "--set securityContext.runAsUser=0", @"securityContext"),
            ("service type is not a value", "--set service.type=LoadBalancer", @"service[\s\S]*type|type[\s\S]*service"),
            ("ingress annotations are not a value", "--set ingress.annotations.x=y", @"ingress[\s\S]*annotations|annotations[\s\S]*ingress"),
            ("nameOverride is not a value", "--set nameOverride=x", @"nameOverride"),
            ("image tag outside the pattern", "--set image.tag=a:b", @"image[./]tag"),
            ("password not URL-safe", "--set credentials.databasePassword=has/slash@andmorechars", @"credentials[./]databasePassword"),
        };
        var d = new TheoryData<string, string, string, string, string>();
        foreach (var v in Helm.Versions)
            foreach (var c in Helm.Charts)
                foreach (var x in cases)
                    d.Add(v, c, x.Case, x.Args, x.Expect);
        return d;
    }

    // Proves a schema violation makes `helm template` fail with a schema error that names the offending field.
    [Theory]
    [MemberData(nameof(Violations))]
    public void Schema_violation_fails_naming_the_field(string helm, string chart, string caseName, string args, string expect)
    {
        var r = Helm.Run(helm, ["template", "acme", Helm.ChartDir(chart), "-n", "store-acme", "-f", Helm.FixturePath(chart), .. args.Split(' ')]);
        Assert.True(r.ExitCode != 0, $"{caseName}: expected failure\n{r.Describe()}");
        Assert.Contains("schema", r.StdErr);
        Assert.Matches(new Regex(expect), r.StdErr);
    }

    // Proves the schema declares store (required name/host/url, name pattern) and a closed credentials object with exactly the engine's keys.
    [Theory]
    [MemberData(nameof(Data.ChartsOnly), MemberType = typeof(Data))]
    public void Schema_declares_the_values_contract(string chart)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Helm.ChartDir(chart), "values.schema.json")));
        var root = doc.RootElement;
        Assert.Contains("store", root.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        var store = root.GetProperty("properties").GetProperty("store");
        Assert.Equal(["host", "name", "url"], store.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.False(string.IsNullOrEmpty(store.GetProperty("properties").GetProperty("name").GetProperty("pattern").GetString()));
        var creds = root.GetProperty("properties").GetProperty("credentials");
        Assert.False(creds.GetProperty("additionalProperties").GetBoolean());
        string[] expected = chart == "woocommerce"
            ? ["adminEmail", "adminPassword", "databasePassword", "databaseRootPassword"]
            : ["adminEmail", "adminPassword", "cookieSecret", "databasePassword", "jwtSecret"];
        Assert.Equal(expected, creds.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}

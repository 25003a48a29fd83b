using System.Text.Json;
using StoreProvisioning.Cluster;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Cluster;

public class StoreValuesTests
{
    // Without credentials the values hold exactly store.{name, host, url}, and no credentials key at all.
    [Fact]
    public void Build_without_credentials_has_only_store()
    {
        using var json = JsonDocument.Parse(StoreValues.Build("acme", "acme.localhost", "http://acme.localhost:8080", credentials: null));
        var root = json.RootElement;

        Assert.Equal(["store"], root.EnumerateObject().Select(p => p.Name));
        var store = root.GetProperty("store");
        Assert.Equal(["name", "host", "url"], store.EnumerateObject().Select(p => p.Name));
        Assert.Equal("acme", store.GetProperty("name").GetString());
        Assert.Equal("acme.localhost", store.GetProperty("host").GetString());
        Assert.Equal("http://acme.localhost:8080", store.GetProperty("url").GetString());
    }

    // With credentials, every credential is written under "credentials" as a string, keys in ordinal order.
    [Theory]
    [InlineData(StoreEngine.WooCommerce)]
    [InlineData(StoreEngine.Medusa)]
    public void Build_with_credentials_writes_every_key_sorted(StoreEngine engine)
    {
        var credentials = StoreCredentials.Generate(engine, "acme.localhost");
        using var json = JsonDocument.Parse(StoreValues.Build("acme", "acme.localhost", "http://acme.localhost:8080", credentials));
        var written = json.RootElement.GetProperty("credentials");

        Assert.Equal(["store", "credentials"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(credentials.Values.Keys.Order(StringComparer.Ordinal), written.EnumerateObject().Select(p => p.Name));
        foreach (var (key, value) in credentials.Values)
        {
            Assert.Equal(value, written.GetProperty(key).GetString());
        }
    }

    // Characters that matter to JSON/YAML in a value are escaped, so the file still parses to the same string.
    [Fact]
    public void Build_escapes_values()
    {
        var credentials = new StoreCredentials(new Dictionary<string, string> { ["adminPassword"] = "a\"b\\c\n: d#{e}" });
        using var json = JsonDocument.Parse(StoreValues.Build("acme", "acme.localhost", "http://acme.localhost:8080/?a=1&b=2", credentials));
        Assert.Equal("a\"b\\c\n: d#{e}", json.RootElement.GetProperty("credentials").GetProperty("adminPassword").GetString());
        Assert.Equal("http://acme.localhost:8080/?a=1&b=2", json.RootElement.GetProperty("store").GetProperty("url").GetString());
    }
}

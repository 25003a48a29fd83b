using StoreProvisioning.Cluster;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Cluster;

public class StoreCredentialsTests
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    // Each engine gets exactly the credential keys its chart declares.
    [Theory]
    [InlineData(StoreEngine.WooCommerce, new[] { "adminEmail", "adminPassword", "databasePassword", "databaseRootPassword" })]
    [InlineData(StoreEngine.Medusa, new[] { "adminEmail", "adminPassword", "databasePassword", "jwtSecret", "cookieSecret" })]
    public void Keys_per_engine(StoreEngine engine, string[] keys) =>
        Assert.Equal(keys.Order(StringComparer.Ordinal), StoreCredentials.Generate(engine, "acme.localhost").Values.Keys.Order(StringComparer.Ordinal));

    // The admin email is admin@{host}; passwords are 24 and JWT/cookie secrets 48 characters of the unambiguous alphabet.
    [Theory]
    [InlineData(StoreEngine.WooCommerce)]
    [InlineData(StoreEngine.Medusa)]
    public void Values_have_the_right_form(StoreEngine engine)
    {
        var values = StoreCredentials.Generate(engine, "acme.shops.example.com").Values;

        Assert.Equal("admin@acme.shops.example.com", values["adminEmail"]);
        foreach (var (key, value) in values.Where(kv => kv.Key != "adminEmail"))
        {
            Assert.Equal(key is "jwtSecret" or "cookieSecret" ? 48 : 24, value.Length);
            Assert.All(value, c => Assert.Contains(c, Alphabet));
        }
    }

    // Every generation is fresh: 200 sets share no secret value, and no set repeats a value across keys.
    [Fact]
    public void Values_are_random()
    {
        var sets = Enumerable.Range(0, 200).Select(_ => StoreCredentials.Generate(StoreEngine.Medusa, "acme.localhost")).ToList();
        var secrets = sets.SelectMany(s => s.Secrets).ToList();
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        Assert.All(sets, s => Assert.Equal(s.Secrets.Count, s.Secrets.Distinct().Count()));
    }

    // Characters are spread over the alphabet (not stuck on a few), as a crude check of the generator.
    [Fact]
    public void Characters_cover_the_alphabet()
    {
        var used = Enumerable.Range(0, 100).SelectMany(_ => StoreCredentials.Generate(StoreEngine.WooCommerce, "h").Secrets).SelectMany(s => s).ToHashSet();
        Assert.Equal(Alphabet.Length, used.Count);
    }

    // Secrets (for redaction) are every value except the admin email, which is not secret.
    [Theory]
    [InlineData(StoreEngine.WooCommerce, 3)]
    [InlineData(StoreEngine.Medusa, 4)]
    public void Secrets_exclude_admin_email(StoreEngine engine, int count)
    {
        var credentials = StoreCredentials.Generate(engine, "acme.localhost");
        Assert.Equal(count, credentials.Secrets.Count);
        Assert.DoesNotContain(credentials.Values["adminEmail"], credentials.Secrets);
        Assert.Contains(credentials.Values["adminPassword"], credentials.Secrets);
    }
}

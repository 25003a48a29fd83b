using Microsoft.Extensions.Configuration;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Core.Tests.Configuration;

public sealed class AuthOptionsTests
{
    private static AuthOptions Read(params (string Key, string Value)[] values) =>
        AuthOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    // With nothing set: API keys, 30 writes a minute, the standard claim names, no bootstrap key.
    [Fact]
    public void Defaults()
    {
        var options = Read();
        Assert.Equal(AuthMode.ApiKey, options.Mode);
        Assert.Equal(30, options.WritesPerMinute);
        Assert.Equal(("sub", "roles"), (options.UserClaim, options.RoleClaim));
        Assert.Null(options.BootstrapAdminKey);
    }

    // Settings that cannot work stop the app with the setting to fix in the message.
    [Theory]
    [InlineData("AUTH_MODE", "kerberos", "", "", "AUTH_MODE")]
    [InlineData("AUTH_MODE", "none", "", "", "ALLOW_ANONYMOUS")]
    [InlineData("AUTH_MODE", "oidc", "AUTH_AUDIENCE", "api://x", "AUTH_AUTHORITY")]
    [InlineData("AUTH_MODE", "oidc", "AUTH_AUTHORITY", "https://issuer.example", "AUTH_AUDIENCE")]
    [InlineData("BOOTSTRAP_ADMIN_KEY", "too-short", "", "", "BOOTSTRAP_ADMIN_KEY")]
    [InlineData("RATE_LIMIT_WRITES_PER_MINUTE", "0", "", "", "RATE_LIMIT_WRITES_PER_MINUTE")]
    public void Unworkable_settings_are_refused(string key, string value, string otherKey, string otherValue, string named)
    {
        var values = new List<(string, string)> { (key, value) };
        if (otherKey.Length > 0)
        {
            values.Add((otherKey, otherValue));
        }

        var error = Assert.Throws<InvalidOperationException>(() => Read([.. values]));
        Assert.Contains(named, error.Message);
    }

    // none needs ALLOW_ANONYMOUS=true; oidc needs an authority and an audience; the bootstrap key is kept as given.
    [Fact]
    public void Workable_modes_are_read()
    {
        Assert.Equal(AuthMode.None, Read(("AUTH_MODE", "none"), ("ALLOW_ANONYMOUS", "true")).Mode);
        var oidc = Read(("AUTH_MODE", "OIDC"), ("AUTH_AUTHORITY", "https://login.example/tenant/v2.0"), ("AUTH_AUDIENCE", "api://stores"), ("AUTH_USER_CLAIM", "oid"));
        Assert.Equal((AuthMode.Oidc, "oid"), (oidc.Mode, oidc.UserClaim));
        Assert.Equal(new string('k', 32), Read(("BOOTSTRAP_ADMIN_KEY", new string('k', 32))).BootstrapAdminKey);
    }
}

public sealed class MetricsScrapeKeyOptionsTests
{
    private static AuthOptions Read(params (string Key, string Value)[] values) =>
        AuthOptions.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    // Unset by default; when set it is kept hidden: it prints as "(hidden)".
    [Fact]
    public void The_scrape_key_is_optional_and_hidden()
    {
        Assert.Null(Read().MetricsScrapeKey);
        var key = "scrape-" + new string('s', 32);
        var options = Read(("METRICS_SCRAPE_KEY", key));
        Assert.Equal(key, options.MetricsScrapeKey!.Value);
        Assert.Equal("(hidden)", options.MetricsScrapeKey.ToString());
    }

    // Too short, or the same as the admin key: refused at start naming the setting, never echoing the value.
    [Theory]
    [InlineData("short-scrape-key-value-1234567", null)]
    [InlineData("the-same-value-as-the-admin-key-0123456789", "the-same-value-as-the-admin-key-0123456789")]
    public void A_weak_or_shared_scrape_key_is_refused(string key, string? admin)
    {
        var values = new List<(string, string)> { ("METRICS_SCRAPE_KEY", key) };
        if (admin is not null)
        {
            values.Add(("BOOTSTRAP_ADMIN_KEY", admin));
        }

        var error = Assert.Throws<InvalidOperationException>(() => Read([.. values]));
        Assert.Contains("METRICS_SCRAPE_KEY", error.Message);
        Assert.DoesNotContain(key, error.Message);
    }
}

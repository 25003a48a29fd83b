using StoreProvisioning.Core.Tests.Support;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

public class ApiKeyRepositoryTests : IDisposable
{
    private readonly RepositoryHarness h;

    public ApiKeyRepositoryTests()
        : this(new RepositoryHarness())
    {
    }

    /// <summary>The same contract on another engine (see PostgresContractTests).</summary>
    protected ApiKeyRepositoryTests(RepositoryHarness harness)
    {
        h = harness;
        keys = new ApiKeyRepository(h.Database, h.Clock);
    }
    private readonly ApiKeyRepository keys;

    public void Dispose()
    {
        h.Dispose();
        GC.SuppressFinalize(this);
    }

    // A created key is found by its secret, never stored in clear (only hash and prefix), and listed without it.
    [Fact]
    public async Task A_key_is_found_by_its_secret_and_stored_only_as_hash_and_prefix()
    {
        var issued = await keys.CreateAsync("alice", Role.User, "laptop", null);
        Assert.Equal(issued.Key, await keys.FindAsync(issued.Secret));
        Assert.Null(await keys.FindAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'A' ? 'B' : 'A')));
        Assert.Equal(0L, h.Scalar("SELECT COUNT(*) FROM api_keys WHERE prefix = $s OR hash = $b", ("$s", issued.Secret), ("$b", System.Text.Encoding.UTF8.GetBytes(issued.Secret))));
        Assert.Equal(1L, h.Scalar("SELECT COUNT(*) FROM api_keys WHERE prefix = $p", ("$p", ApiKeySecret.PrefixOf(issued.Secret))));
        Assert.Equal([issued.Key], await keys.ListAsync());
    }

    // Revoked keys and keys past their expiry are not found.
    [Fact]
    public async Task Revoked_and_expired_keys_are_not_found()
    {
        var revoked = await keys.CreateAsync("bob", Role.User, null, null);
        Assert.True(await keys.RevokeAsync(revoked.Key.Id));
        Assert.False(await keys.RevokeAsync(revoked.Key.Id));
        Assert.Null(await keys.FindAsync(revoked.Secret));

        var expiring = await keys.CreateAsync("carol", Role.User, null, h.Clock.GetUtcNow().AddMinutes(5));
        Assert.NotNull(await keys.FindAsync(expiring.Secret));
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await keys.FindAsync(expiring.Secret));
    }

    // The bootstrap key follows its setting: created, replaced when it changes, removed when unset.
    [Fact]
    public async Task The_bootstrap_key_follows_its_setting()
    {
        var first = new string('a', 40);
        var second = new string('b', 40);
        await keys.EnsureBootstrapAsync(first);
        Assert.Equal(Role.Admin, (await keys.FindAsync(first))!.Role);
        await keys.EnsureBootstrapAsync(second);
        Assert.Null(await keys.FindAsync(first));
        Assert.NotNull(await keys.FindAsync(second));
        await keys.EnsureBootstrapAsync(null);
        Assert.Null(await keys.FindAsync(second));
        Assert.Empty(await keys.ListAsync());
    }
}

using StoreProvisioning.Identity;

namespace StoreProvisioning.Core.Tests.Identity;

public sealed class ApiKeySecretTests
{
    // A key carries 32 random bytes (43 base64url characters) after its marker, and no two are alike.
    [Fact]
    public void Generated_keys_are_long_random_and_url_safe()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeySecret.Generate()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys, k =>
        {
            Assert.StartsWith(ApiKeySecret.Marker, k);
            Assert.Equal(ApiKeySecret.Marker.Length + 43, k.Length);
            Assert.Matches("^spk_[A-Za-z0-9_-]+$", k);
        });
    }

    // Only the key that was hashed matches its hash; a one-character change does not.
    [Fact]
    public void Only_the_same_key_matches_its_hash()
    {
        var key = ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(key);
        Assert.True(ApiKeySecret.Matches(key, hash));
        Assert.False(ApiKeySecret.Matches(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), hash));
        Assert.False(ApiKeySecret.Matches(key + " ", hash));
        Assert.Equal(ApiKeySecret.PrefixLength, ApiKeySecret.PrefixOf(key).Length);
    }
}

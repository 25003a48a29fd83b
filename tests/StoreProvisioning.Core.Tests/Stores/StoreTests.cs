using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Stores;

public class StoreTests
{
    // A store lives in namespace store-{name} and its Helm release is named {name}.
    [Fact]
    public void Namespace_and_release_follow_the_name()
    {
        var store = new Store
        {
            Id = "id",
            Name = "acme",
            UserId = "alice",
            Engine = StoreEngine.Medusa,
            Status = StoreStatus.Ready,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal("store-acme", store.Namespace);
        Assert.Equal("acme", store.Release);
        Assert.Equal("store-acme", Store.NamespaceFor("acme"));
    }

    // The longest valid name still gives a namespace within the 63-character DNS label limit.
    [Fact]
    public void Longest_name_gives_valid_namespace_length() =>
        Assert.True(Store.NamespaceFor(new string('a', StoreProvisioning.Validation.StoreRules.NameMaxLength)).Length <= 63);
}

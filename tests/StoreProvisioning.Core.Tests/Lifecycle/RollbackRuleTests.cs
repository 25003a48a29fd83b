using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class RollbackRuleTests
{
    // Without a named revision there must be one before the recorded revision.
    [Theory]
    [InlineData(null, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Previous_revision_needs_an_earlier_one(int? current, bool allowed)
    {
        var refusal = RollbackRule.Check("acme", current, null);
        Assert.Equal(allowed, refusal is null);
        Assert.Equal(allowed, RollbackRule.HasEarlierRevision(current));
        if (refusal is not null)
        {
            Assert.Equal(RefusalKind.Invalid, refusal.Kind);
            Assert.Equal("Nothing to roll back to", refusal.Title);
        }
    }

    // A named revision must be earlier than the recorded one (when one is recorded); the field is named in errors.
    [Theory]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    [InlineData(3, 4, false)]
    [InlineData(null, 2, true)]
    public void Named_revision_must_be_earlier(int? current, int requested, bool allowed)
    {
        var refusal = RollbackRule.Check("acme", current, requested);
        Assert.Equal(allowed, refusal is null);
        if (refusal is not null)
        {
            Assert.Equal("Not an earlier revision", refusal.Title);
            Assert.Contains("revision", refusal.Errors!.Keys);
        }
    }

    // The actions a store offers come from the transition table and the rollback rule, in the API's order.
    [Theory]
    [InlineData(StoreStatus.New, null, "delete")]
    [InlineData(StoreStatus.Provisioning, 1, "")]
    [InlineData(StoreStatus.Ready, 1, "upgrade delete")]
    [InlineData(StoreStatus.Ready, 2, "upgrade rollback delete")]
    [InlineData(StoreStatus.Failed, null, "upgrade retry delete")]
    [InlineData(StoreStatus.Failed, 3, "upgrade rollback retry delete")]
    [InlineData(StoreStatus.Deleting, 3, "")]
    public void Actions_follow_the_table(StoreStatus status, int? revision, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), LifecycleTransitions.ActionsFor(status, revision));
    }
}

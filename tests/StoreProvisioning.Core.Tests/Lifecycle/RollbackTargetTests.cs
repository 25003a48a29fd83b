using StoreProvisioning.Cluster;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class RollbackTargetTests
{
    // Histories are written as "revision:status" items, oldest first, e.g. "1:superseded 2:deployed".
    internal static IReadOnlyList<HelmRevision> History(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.Split(':'))
            .Select(p => new HelmRevision(int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p[1], "chart-1.0.0", null))
            .ToList();

    // With no requested revision the target is the newest good (deployed/superseded) revision before the current one.
    [Theory]
    [InlineData("1:superseded 2:deployed", 1)]
    [InlineData("1:superseded 2:superseded 3:deployed", 2)]
    [InlineData("1:superseded 2:failed 3:failed", 1)]
    [InlineData("1:superseded 2:superseded 3:failed", 2)]
    [InlineData("1:deployed 2:pending-upgrade", 1)]
    [InlineData("1:superseded 2:superseded 3:superseded 4:failed 5:deployed", 3)]
    [InlineData("3:superseded 7:deployed", 3)]
    [InlineData("1:superseded 2:uninstalling 3:deployed", 1)]
    public void Default_target_is_last_good_revision_before_current(string history, int expected)
    {
        var (revision, reason) = RollbackTarget.Choose(History(history), requested: null);
        Assert.Equal(expected, revision);
        Assert.Null(reason);
    }

    // Histories without an earlier good revision give no target and a reason naming the current revision.
    [Theory]
    [InlineData("1:deployed", 1)]
    [InlineData("1:failed 2:failed", 2)]
    [InlineData("1:failed 2:deployed", 2)]
    [InlineData("1:pending-install", 1)]
    public void No_good_earlier_revision_gives_reason(string history, int current)
    {
        var (revision, reason) = RollbackTarget.Choose(History(history), requested: null);
        Assert.Null(revision);
        Assert.Contains($"revision {current}", reason);
    }

    // An empty history (no release) has nothing to roll back to, whether or not a revision is requested.
    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public void Empty_history_gives_reason(int? requested)
    {
        var (revision, reason) = RollbackTarget.Choose([], requested);
        Assert.Null(revision);
        Assert.Contains("no history", reason);
    }

    // A requested revision is honoured when it exists and is not the current one, even if it had failed.
    [Theory]
    [InlineData("1:superseded 2:superseded 3:deployed", 1)]
    [InlineData("1:superseded 2:superseded 3:deployed", 2)]
    [InlineData("1:superseded 2:failed 3:deployed", 2)]
    public void Requested_existing_revision_is_chosen(string history, int requested)
    {
        var (revision, reason) = RollbackTarget.Choose(History(history), requested);
        Assert.Equal(requested, revision);
        Assert.Null(reason);
    }

    // Requesting the current revision, or one outside the history, is refused with a reason that says which.
    [Theory]
    [InlineData("1:superseded 2:deployed", 2, "is the current revision")]
    [InlineData("1:superseded 2:deployed", 9, "not in the release history (revisions 1..2)")]
    [InlineData("4:superseded 5:deployed", 3, "not in the release history (revisions 4..5)")]
    public void Requested_current_or_missing_revision_is_refused(string history, int requested, string because)
    {
        var (revision, reason) = RollbackTarget.Choose(History(history), requested);
        Assert.Null(revision);
        Assert.Contains(because, reason);
    }

    // The current revision is the highest number, even when helm lists the history out of order.
    [Fact]
    public void Current_is_highest_revision_regardless_of_order()
    {
        var (revision, _) = RollbackTarget.Choose(History("3:deployed 1:superseded 2:superseded"), requested: null);
        Assert.Equal(2, revision);
    }
}

using System.Reflection;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Persistence;

public class AuditActionsTests
{
    private static IReadOnlyList<string> All() =>
        typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

    // Every audit action is "{what}.{outcome}" in lower case, and no two constants share a value.
    [Fact]
    public void Actions_are_distinct_and_well_formed()
    {
        var all = All();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, a => Assert.Matches("^[a-z]+\\.[a-z-]+$", a));
    }

    // Exactly the five accepted-request actions end in ".requested" (metrics count those and nothing else).
    [Fact]
    public void Only_requests_end_in_requested() =>
        Assert.Equal(
            new[] { "create.requested", "delete.requested", "retry.requested", "rollback.requested", "upgrade.requested" },
            All().Where(a => a.EndsWith(".requested", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
}

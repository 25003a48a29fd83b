using System.Text.Json;
using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

/// <summary>
/// The dashboard's tests take a store's `actions` from frontend/src/test/fixtures/store-actions.json, as the API returns
/// them; this keeps that file equal to the server's transition table, so the frontend never restates the rules.
/// </summary>
public class StoreActionsFixtureTests
{
    private static readonly int?[] Revisions = [null, 1, 2];

    // Every status × {no revision, first, later} row of the fixture is exactly LifecycleTransitions.ActionsFor.
    [Fact]
    public void Frontend_actions_fixture_is_the_transition_table()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("frontend", "src", "test", "fixtures", "store-actions.json")));
        var rows = fixture.RootElement.GetProperty("stores").EnumerateArray()
            .Select(r => (
                Status: r.GetProperty("status").GetString()!,
                Revision: r.GetProperty("revision").ValueKind == JsonValueKind.Null ? (int?)null : r.GetProperty("revision").GetInt32(),
                Actions: string.Join(",", r.GetProperty("actions").EnumerateArray().Select(a => a.GetString()))))
            .ToList();

        var expected = Enum.GetValues<StoreStatus>()
            .SelectMany(s => Revisions.Select(rev => (Status: s.Name(), Revision: rev, Actions: string.Join(",", LifecycleTransitions.ActionsFor(s, rev)))))
            .ToList();
        Assert.Equal(expected, rows);
    }
}

using StoreProvisioning.Lifecycle;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Core.Tests.Lifecycle;

public class LifecycleTransitionsTests
{
    // The state machine as issue 2 states it, written out by hand (not derived from the code):
    // "→X" = moves to X, "409" = refused as a conflict, "400" = refused as invalid.
    private const string ExpectedTable = """
        status        Upgrade        Rollback       Retry          Delete      BeginInstall   Succeed  Fail     FlagDrift
        NEW           409            409            400            →DELETING   →PROVISIONING  409      →FAILED  409
        PROVISIONING  409            409            400            409         409            →READY   →FAILED  409
        READY         →PROVISIONING  →PROVISIONING  400            →DELETING   409            409      409      →FAILED
        FAILED        →PROVISIONING  →PROVISIONING  →PROVISIONING  →DELETING   409            409      409      409
        DELETING      409            409            400            409         409            409      409      409
        """;

    public static TheoryData<StoreStatus, LifecycleCommand, string> Cells()
    {
        var data = new TheoryData<StoreStatus, LifecycleCommand, string>();
        var lines = ExpectedTable.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var commands = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Enum.Parse<LifecycleCommand>).ToArray();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var status = Wire.ParseStatus(cells[0]);
            for (var i = 0; i < commands.Length; i++)
            {
                data.Add(status, commands[i], cells[i + 1]);
            }
        }

        return data;
    }

    // Every (status × command) pair gets exactly the outcome the hand-written table says: target or refusal kind.
    [Theory]
    [MemberData(nameof(Cells))]
    public void Decide_matches_the_hand_written_table(StoreStatus from, LifecycleCommand command, string expected)
    {
        var result = LifecycleTransitions.Decide(from, command);

        if (expected.StartsWith('→'))
        {
            Assert.True(result.Allowed, $"{from.Name()} -{command}-> expected {expected}, got refusal: {result.Refusal?.Detail}");
            Assert.Equal(Wire.ParseStatus(expected[1..]), result.To);
            Assert.Null(result.Refusal?.Kind);
            Assert.Null(result.Refusal?.Detail);
        }
        else
        {
            Assert.False(result.Allowed, $"{from.Name()} -{command}-> expected {expected}, but it moved to {result.To}");
            Assert.Null(result.To);
            Assert.Equal(expected == "400" ? RefusalKind.Invalid : RefusalKind.Conflict, result.Refusal?.Kind);
            Assert.False(string.IsNullOrWhiteSpace(result.Refusal?.Detail));
        }
    }

    // The written table really is exhaustive: every status and every command appears, 5 × 7 = 35 distinct cells.
    [Fact]
    public void Expected_table_covers_every_status_and_command()
    {
        var cells = Cells().Select(row => ((StoreStatus)row[0], (LifecycleCommand)row[1])).ToList();
        Assert.Equal(Enum.GetValues<StoreStatus>().Length * Enum.GetValues<LifecycleCommand>().Length, cells.Distinct().Count());
        Assert.Equal(cells.Count, cells.Distinct().Count());
    }

    // Retry of anything but a FAILED store is a bad request (400), never a race, and the reason names the status.
    [Theory]
    [InlineData(StoreStatus.New)]
    [InlineData(StoreStatus.Provisioning)]
    [InlineData(StoreStatus.Ready)]
    [InlineData(StoreStatus.Deleting)]
    public void Retry_from_non_failed_is_invalid_and_names_the_status(StoreStatus from)
    {
        var result = LifecycleTransitions.Decide(from, LifecycleCommand.Retry);
        Assert.Equal(RefusalKind.Invalid, result.Refusal?.Kind);
        Assert.Contains("FAILED", result.Refusal?.Detail);
        Assert.Contains(from.Name(), result.Refusal?.Detail);
    }

    // Delete while an operation runs (PROVISIONING or DELETING) is a conflict (409) that tells the user to wait.
    [Theory]
    [InlineData(StoreStatus.Provisioning)]
    [InlineData(StoreStatus.Deleting)]
    public void Delete_while_busy_is_conflict(StoreStatus from)
    {
        var result = LifecycleTransitions.Decide(from, LifecycleCommand.Delete);
        Assert.Equal(RefusalKind.Conflict, result.Refusal?.Kind);
        Assert.Contains(from.Name(), result.Refusal?.Detail);
        Assert.Contains("wait", result.Refusal?.Detail);
    }

    // Upgrade and rollback outside READY/FAILED are conflicts (409) whose reason says which states allow them.
    [Theory]
    [InlineData(StoreStatus.New, LifecycleCommand.Upgrade, "upgraded")]
    [InlineData(StoreStatus.Provisioning, LifecycleCommand.Upgrade, "upgraded")]
    [InlineData(StoreStatus.Deleting, LifecycleCommand.Upgrade, "upgraded")]
    [InlineData(StoreStatus.New, LifecycleCommand.Rollback, "rolled back")]
    [InlineData(StoreStatus.Provisioning, LifecycleCommand.Rollback, "rolled back")]
    [InlineData(StoreStatus.Deleting, LifecycleCommand.Rollback, "rolled back")]
    public void Upgrade_and_rollback_outside_ready_or_failed_are_conflicts(StoreStatus from, LifecycleCommand command, string verb)
    {
        var result = LifecycleTransitions.Decide(from, command);
        Assert.Equal(RefusalKind.Conflict, result.Refusal?.Kind);
        Assert.Contains(verb, result.Refusal?.Detail);
        Assert.Contains("READY or FAILED", result.Refusal?.Detail);
        Assert.Contains(from.Name(), result.Refusal?.Detail);
    }

    // SourcesFor (what the repository's conditional UPDATE uses) lists exactly the statuses Decide allows, no duplicates.
    [Theory]
    [InlineData(LifecycleCommand.Upgrade)]
    [InlineData(LifecycleCommand.Rollback)]
    [InlineData(LifecycleCommand.Retry)]
    [InlineData(LifecycleCommand.Delete)]
    [InlineData(LifecycleCommand.BeginInstall)]
    [InlineData(LifecycleCommand.Succeed)]
    [InlineData(LifecycleCommand.Fail)]
    [InlineData(LifecycleCommand.FlagDrift)]
    public void SourcesFor_is_exactly_the_allowed_statuses(LifecycleCommand command)
    {
        var allowed = Enum.GetValues<StoreStatus>().Where(s => LifecycleTransitions.Decide(s, command).Allowed).ToHashSet();
        var sources = LifecycleTransitions.SourcesFor(command);

        Assert.NotEmpty(sources);
        Assert.Equal(sources.Count, sources.Distinct().Count());
        Assert.Equal(allowed, sources.ToHashSet());
    }

    // Each command has one destination whatever its source, so the repository can compute it from SourcesFor[0].
    [Theory]
    [InlineData(LifecycleCommand.Upgrade, StoreStatus.Provisioning)]
    [InlineData(LifecycleCommand.Rollback, StoreStatus.Provisioning)]
    [InlineData(LifecycleCommand.Retry, StoreStatus.Provisioning)]
    [InlineData(LifecycleCommand.Delete, StoreStatus.Deleting)]
    [InlineData(LifecycleCommand.BeginInstall, StoreStatus.Provisioning)]
    [InlineData(LifecycleCommand.Succeed, StoreStatus.Ready)]
    [InlineData(LifecycleCommand.Fail, StoreStatus.Failed)]
    [InlineData(LifecycleCommand.FlagDrift, StoreStatus.Failed)]
    public void Every_source_of_a_command_leads_to_the_same_target(LifecycleCommand command, StoreStatus target)
    {
        foreach (var from in LifecycleTransitions.SourcesFor(command))
        {
            Assert.Equal(target, LifecycleTransitions.Decide(from, command).To);
        }
    }

    // No command ever leaves a store in NEW: NEW is only the state a create inserts.
    [Fact]
    public void Nothing_moves_a_store_back_to_new()
    {
        foreach (var command in Enum.GetValues<LifecycleCommand>())
        {
            foreach (var from in Enum.GetValues<StoreStatus>())
            {
                Assert.NotEqual(StoreStatus.New, LifecycleTransitions.Decide(from, command).To);
            }
        }
    }
}

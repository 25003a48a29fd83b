using StoreProvisioning.Functions.Hosting;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests.Orchestration;

/// <summary>What the launcher starts for each operation, and what the orchestration input carries.</summary>
public sealed class OperationLauncherTests
{
    private static readonly Store Retried = new()
    {
        Id = "x", Name = "acme", UserId = "u", Engine = StoreEngine.Medusa,
        Status = StoreStatus.Provisioning, Operation = StoreOperation.Retry,
        OperationId = "op1", FailedOperation = StoreOperation.Upgrade, OperationArgs = """{"values":{"a":1}}""",
        CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    // Every operation has an orchestrator, and it is one the durable worker registers.
    [Fact]
    public void Every_operation_starts_a_registered_orchestrator()
    {
        foreach (var operation in Enum.GetValues<StoreOperation>())
        {
            Assert.Contains(DurableTasks.Orchestrators, t => t.Name == OperationLauncher.OrchestratorFor(operation));
        }
    }

    // A retry input carries the failed operation the row recorded and the deadline, so the orchestrator needs no I/O to choose.
    [Fact]
    public void Retry_input_carries_the_recorded_failed_operation_and_the_deadline()
    {
        var input = OperationLauncher.InputFor(Retried, TimeSpan.FromMinutes(3));

        Assert.Equal(StoreOperation.Upgrade, input.RetryOf);
        Assert.Equal(StoreOperation.Upgrade, input.Runs);
        Assert.Equal(TimeSpan.FromMinutes(3), input.StepDeadline);
        Assert.Equal(StoreOperationInput.DefaultDeadline, (input with { Deadline = null }).StepDeadline);
        Assert.Equal(new Configuration.StoreProvisioningOptions { SqlitePath = "s.db", ChartsRoot = "helm" }.OperationDeadline, StoreOperationInput.DefaultDeadline); // the fallback is the default settings' deadline
        var upgrade = OperationLauncher.InputFor(Retried with { Operation = StoreOperation.Upgrade });
        Assert.Null(upgrade.RetryOf);
        Assert.Equal(StoreOperation.Upgrade, upgrade.Runs);
    }

    // What a retry runs is read from the row, never guessed: a retried row without a failed operation is refused.
    [Fact]
    public void A_retry_without_a_recorded_failed_operation_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => OperationLauncher.InputFor(Retried with { FailedOperation = null }));
    }
}

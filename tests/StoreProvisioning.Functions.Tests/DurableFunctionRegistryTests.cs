using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Tests;

/// <summary>The reflection registry the tests and the test server use finds exactly the app's durable functions.</summary>
public sealed class DurableFunctionRegistryTests
{
    // Every orchestrator OperationLauncher starts, and every activity the workflows call, is discovered under its [Function] name.
    [Fact]
    public void Discovers_every_orchestrator_and_activity()
    {
        var functions = DurableFunctionRegistry.Discover();

        Assert.Equal(
            ["DeleteStoreOrchestrator", "ProvisionStoreOrchestrator", "RetryStoreOrchestrator", "RollbackStoreOrchestrator", "UpgradeStoreOrchestrator"],
            functions.Where(f => f.Kind == DurableFunctionKind.Orchestrator).Select(f => f.Name));
        Assert.Equal(
            ["CheckStep", "DeleteNamespace", "EnsureNamespace", "InstallRelease", "RecordFailure", "RecordNote", "RemoveStore", "RollbackRelease", "UninstallRelease", "UpgradeRelease"],
            functions.Where(f => f.Kind == DurableFunctionKind.Activity).Select(f => f.Name));
        foreach (var operation in Enum.GetValues<StoreProvisioning.Stores.StoreOperation>())
        {
            Assert.Contains(functions, f => f.Name == OperationLauncher.OrchestratorFor(operation));
        }
    }

    // Orchestrators are static (deterministic, no injected services); activities are instance methods with constructor injection.
    [Fact]
    public void Orchestrators_are_static_and_activities_are_injected()
    {
        var functions = DurableFunctionRegistry.Discover();

        Assert.All(functions.Where(f => f.Kind == DurableFunctionKind.Orchestrator), f => Assert.True(f.Method.IsStatic, f.Name));
        Assert.All(functions.Where(f => f.Kind == DurableFunctionKind.Activity), f => Assert.False(f.Method.IsStatic, f.Name));
    }

    // A retry input carries the failed operation and the deadline from the launcher, so the retry orchestrator needs no I/O to choose.
    [Fact]
    public void Retry_input_carries_the_failed_operation_and_the_deadline()
    {
        var store = new StoreProvisioning.Stores.Store
        {
            Id = "x", Name = "acme", UserId = "u", Engine = StoreProvisioning.Stores.StoreEngine.Medusa,
            Status = StoreProvisioning.Stores.StoreStatus.Provisioning, Operation = StoreProvisioning.Stores.StoreOperation.Retry,
            OperationId = "op1", FailedOperation = StoreProvisioning.Stores.StoreOperation.Upgrade, OperationArgs = """{"values":{"a":1}}""",
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };

        var input = OperationLauncher.InputFor(store, TimeSpan.FromMinutes(3));

        Assert.Equal(StoreProvisioning.Stores.StoreOperation.Upgrade, input.RetryOf);
        Assert.Equal(StoreProvisioning.Stores.StoreOperation.Upgrade, input.Effective);
        Assert.Equal(TimeSpan.FromMinutes(3), input.StepDeadline);
        Assert.Equal(StoreOperationInput.DefaultDeadline, (input with { Deadline = null }).StepDeadline);
        Assert.Equal(new Configuration.StoreProvisioningOptions { SqlitePath = "s.db", ChartsRoot = "helm" }.OperationDeadline, StoreOperationInput.DefaultDeadline); // the fallback is the default settings' deadline
        Assert.Null(OperationLauncher.InputFor(store with { Operation = StoreProvisioning.Stores.StoreOperation.Upgrade }).RetryOf);
    }
}

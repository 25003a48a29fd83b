using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Identity;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests.Orchestration;

/// <summary>
/// Each running operation reports its step as durable custom status (issue 13 item 4): every orchestrator's step
/// list has a human name per step, the real orchestrators set it before each step (observed mid-operation in the
/// in-process engine against a slow fake helm), the reader returns it only for stores in flight, and it is cleared
/// when the steps are done.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class OperationProgressTests
{
    // How long a step may take on a loaded shared machine: a bound on waiting, never an assertion on time.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    // Every orchestrator's steps are named in the one table, once each, and "of" is the length of its own list.
    [Fact]
    public void Every_step_of_every_operation_has_a_name()
    {
        var plans = new Dictionary<string, IReadOnlyList<string>>
        {
            ["install"] = ProvisionStoreOrchestrator.Steps,
            ["upgrade"] = UpgradeStoreOrchestrator.Steps,
            ["rollback"] = RollbackStoreOrchestrator.Steps,
            ["delete"] = DeleteStoreOrchestrator.Steps,
        };
        foreach (var (operation, steps) in plans)
        {
            Assert.All(steps, step => Assert.True(OperationSteps.StepNames.ContainsKey(step), $"{operation}: step {step} has no name"));
            Assert.Equal(steps.Count, steps.Distinct().Count());
        }

        Assert.Equal(["waiting for a cluster slot", "namespace and isolation", "helm upgrade --install"], plans["install"].Select(s => OperationSteps.StepNames[s]));
        Assert.Equal("helm upgrade", OperationSteps.StepNames[UpgradeStoreOrchestrator.Steps[^1]]);
        Assert.Equal(["waiting for a cluster slot", "helm rollback"], plans["rollback"].Select(s => OperationSteps.StepNames[s]));
        Assert.Equal(["waiting for a cluster slot", "helm uninstall", "deleting the namespace"], plans["delete"].Select(s => OperationSteps.StepNames[s]));
        Assert.Equal(OperationSteps.StepNames.Keys.Order(StringComparer.Ordinal), plans.Values.SelectMany(s => s).Distinct().Order(StringComparer.Ordinal));
    }

    // An install against a slow helm: while helm runs, the instance's custom status (and the reader) say step 3 of 3,
    // "helm upgrade --install", started at the orchestration's time; once done the status is cleared and the store,
    // READY, has no progress. A retry of a failed upgrade reports the upgrade's own steps.
    [Fact]
    public async Task Install_and_retry_report_the_running_step_then_clear_it()
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_DELAY_SECONDS", "3"));
        var reader = h.Services.GetRequiredService<OperationProgressReader>();
        var store = await h.CreateAsync("prog-install");
        var instanceId = await StartAsync(h, store);

        var progress = await WaitForStepAsync(h, instanceId, "helm upgrade --install");
        Assert.Equal((3, 3), (progress.Index, progress.Of));
        var row = (await h.Repository.GetAsync("prog-install"))!;
        Assert.Equal(StoreStatus.Provisioning, row.Status);
        Assert.Equal("helm upgrade --install", (await reader.ReadAsync(h.Host.Client, row, CancellationToken.None))?.Step);
        Assert.Contains("prog-install", (await reader.ReadAllAsync(h.Host.Client, [row], CancellationToken.None)).Keys);

        var done = await WaitForCompletionAsync(h, instanceId);
        Assert.Null(done.SerializedCustomStatus);
        var ready = (await h.Repository.GetAsync("prog-install"))!;
        Assert.Equal(StoreStatus.Ready, ready.Status);
        Assert.Null(await reader.ReadAsync(h.Host.Client, ready, CancellationToken.None));

        // A failed upgrade, retried: the retry runs (and reports) the upgrade's steps.
        h.Fakes.SetBehaviour("prog-install", "once:upgrade:fail");
        Assert.Equal(StoreStatus.Failed, (await h.UpgradeAsync("prog-install"))!.Status);
        var retry = (await h.Stores.RetryAsync(Callers.Operator, "prog-install")).Value!;
        var retryId = await StartAsync(h, retry);
        var retrying = await WaitForStepAsync(h, retryId, "helm upgrade");
        Assert.Equal((3, UpgradeStoreOrchestrator.Steps.Count), (retrying.Index, retrying.Of));
        await WaitForCompletionAsync(h, retryId);
    }

    private static async Task<string> StartAsync(Harness h, Store store) =>
        await h.Host.Client.ScheduleNewOrchestrationInstanceAsync(
            OperationLauncher.OrchestratorFor(store.Operation!.Value),
            OperationLauncher.InputFor(store, h.Options.OperationDeadline),
            OperationLauncher.StartOptions(OperationLauncher.InstanceIdFor(store)));

    /// <summary>Polls the instance until its custom status names <paramref name="step"/>.</summary>
    private static async Task<OperationProgress> WaitForStepAsync(Harness h, string instanceId, string step)
    {
        var deadline = DateTime.UtcNow + Patience;
        OrchestrationMetadata? instance = null;
        while (DateTime.UtcNow < deadline)
        {
            instance = await h.Host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (instance?.SerializedCustomStatus is not null && instance.ReadCustomStatusAs<OperationProgress>() is { } progress && progress.Step == step)
            {
                Assert.InRange(progress.StartedAt, instance.CreatedAt.UtcDateTime.AddSeconds(-1), DateTime.UtcNow.AddMinutes(1));
                return progress;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"{instanceId} never reported '{step}'; last status: {instance?.SerializedCustomStatus} ({instance?.RuntimeStatus})");
    }

    private static async Task<OrchestrationMetadata> WaitForCompletionAsync(Harness h, string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var done = await h.Host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done;
    }
}

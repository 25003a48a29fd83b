using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Notifications;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Hosting;

/// <summary>
/// The Functions host's entry points to the orchestrators and activities (the Durable source generator that would
/// write these is not used). Each trigger only hands over to the class of the same name, the one the test server's
/// worker runs (<see cref="DurableTasks"/>).
/// </summary>
public sealed class DurableFunctions(IServiceProvider services)
{
    [Function(nameof(ProvisionStoreOrchestrator))]
    public static Task<StepOutcome> ProvisionStore([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProvisionStoreOrchestrator().RunAsync(context, Input(context));

    [Function(nameof(UpgradeStoreOrchestrator))]
    public static Task<StepOutcome> UpgradeStore([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new UpgradeStoreOrchestrator().RunAsync(context, Input(context));

    [Function(nameof(RollbackStoreOrchestrator))]
    public static Task<StepOutcome> RollbackStore([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RollbackStoreOrchestrator().RunAsync(context, Input(context));

    [Function(nameof(RetryStoreOrchestrator))]
    public static Task<StepOutcome> RetryStore([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RetryStoreOrchestrator().RunAsync(context, Input(context));

    [Function(nameof(DeleteStoreOrchestrator))]
    public static Task<StepOutcome> DeleteStore([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DeleteStoreOrchestrator().RunAsync(context, Input(context));

    [Function(nameof(NotifyWebhookOrchestrator))]
    public static Task<bool> NotifyWebhook([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new NotifyWebhookOrchestrator().RunAsync(context, context.GetInput<StoreEvent>() ?? throw new InvalidOperationException($"{context.Name} needs a StoreEvent."));

    [Function(nameof(MarkOperationStarted))]
    public Task<StepOutcome> MarkOperationStartedTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<MarkOperationStarted, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(EnsureNamespace))]
    public Task<StepOutcome> EnsureNamespaceTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<EnsureNamespace, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(InstallRelease))]
    public Task<StepOutcome> InstallReleaseTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<InstallRelease, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(UpgradeRelease))]
    public Task<StepOutcome> UpgradeReleaseTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<UpgradeRelease, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(RollbackRelease))]
    public Task<StepOutcome> RollbackReleaseTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<RollbackRelease, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(UninstallRelease))]
    public Task<StepOutcome> UninstallReleaseTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<UninstallRelease, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(DeleteNamespaceAndRemoveStore))]
    public Task<StepOutcome> DeleteNamespaceAndRemoveStoreTrigger([ActivityTrigger] RemovalRequest request, CancellationToken cancellationToken) =>
        Run<DeleteNamespaceAndRemoveStore, RemovalRequest>(request, cancellationToken);

    [Function(nameof(RemoveStore))]
    public Task<StepOutcome> RemoveStoreTrigger([ActivityTrigger] RemovalRequest request, CancellationToken cancellationToken) =>
        Run<RemoveStore, RemovalRequest>(request, cancellationToken);

    [Function(nameof(MarkStoreFailed))]
    public Task<StepOutcome> MarkStoreFailedTrigger([ActivityTrigger] FailureReport report, CancellationToken cancellationToken) =>
        Run<MarkStoreFailed, FailureReport>(report, cancellationToken);

    [Function(nameof(AppendActivityNote))]
    public Task<StepOutcome> AppendActivityNoteTrigger([ActivityTrigger] AuditNote note, CancellationToken cancellationToken) =>
        Run<AppendActivityNote, AuditNote>(note, cancellationToken);

    [Function(nameof(CheckStepStillRunning))]
    public Task<StepOutcome> CheckStepStillRunningTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        Run<CheckStepStillRunning, StoreOperationInput>(input, cancellationToken);

    [Function(nameof(DeliverStoreEvent))]
    public Task<WebhookAttempt> DeliverStoreEventTrigger([ActivityTrigger] WebhookDelivery delivery, CancellationToken cancellationToken) =>
        services.GetRequiredService<DeliverStoreEvent>().RunAsync(delivery, cancellationToken);

    [Function(nameof(ClaimClusterSlot))]
    public Task<StepOutcome> ClaimClusterSlotTrigger([ActivityTrigger] SlotRequest request, CancellationToken cancellationToken) =>
        Run<ClaimClusterSlot, SlotRequest>(request, cancellationToken);

    [Function(nameof(ClaimClusterSlotAndMarkStarted))]
    public Task<StepOutcome> ClaimClusterSlotAndMarkStartedTrigger([ActivityTrigger] SlotRequest request, CancellationToken cancellationToken) =>
        Run<ClaimClusterSlotAndMarkStarted, SlotRequest>(request, cancellationToken);

    [Function(nameof(ReleaseClusterSlot))]
    public Task<string[]> ReleaseClusterSlotTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<ReleaseClusterSlot>().RunAsync(input, cancellationToken);

    [Function(nameof(ReleaseClusterSlotAndStartNext))]
    public Task<SlotGrant[]> ReleaseClusterSlotAndStartNextTrigger([ActivityTrigger] StoreOperationInput input, CancellationToken cancellationToken) =>
        services.GetRequiredService<ReleaseClusterSlotAndStartNext>().RunAsync(input, cancellationToken);

    private static StoreOperationInput Input(TaskOrchestrationContext context) =>
        context.GetInput<StoreOperationInput>() ?? throw new InvalidOperationException($"{context.Name} needs a StoreOperationInput.");

    private Task<StepOutcome> Run<TActivity, TInput>(TInput input, CancellationToken cancellationToken)
        where TActivity : StoreActivity<TInput> =>
        services.GetRequiredService<TActivity>().ExecuteAsync(input, cancellationToken);
}

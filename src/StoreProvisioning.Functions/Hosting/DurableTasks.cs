using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Notifications;
using StoreProvisioning.Functions.Orchestration;

namespace StoreProvisioning.Functions.Hosting;

/// <summary>
/// The app's orchestrators and activities, listed once. A host running its own Durable Task worker (the test server,
/// the orchestration tests) registers them with <see cref="Register"/>; the Functions host reaches the same classes
/// through the triggers in <see cref="DurableFunctions"/>. Each is registered under its class name, which is also its
/// function name.
/// </summary>
public static class DurableTasks
{
    public static readonly IReadOnlyList<Type> Orchestrators =
    [
        typeof(ProvisionStoreOrchestrator),
        typeof(UpgradeStoreOrchestrator),
        typeof(RollbackStoreOrchestrator),
        typeof(RetryStoreOrchestrator),
        typeof(DeleteStoreOrchestrator),
        typeof(NotifyWebhookOrchestrator),
    ];

    public static readonly IReadOnlyList<Type> Activities =
    [
        typeof(MarkOperationStarted),
        typeof(EnsureNamespace),
        typeof(InstallRelease),
        typeof(UpgradeRelease),
        typeof(RollbackRelease),
        typeof(UninstallRelease),
        typeof(DeleteNamespaceAndRemoveStore),
        typeof(RemoveStore),
        typeof(MarkStoreFailed),
        typeof(AppendActivityNote),
        typeof(CheckStepStillRunning),
        typeof(DeliverStoreEvent),
        typeof(ClaimClusterSlot),
        typeof(ClaimClusterSlotAndMarkStarted),
        typeof(ReleaseClusterSlot),
        typeof(ReleaseClusterSlotAndStartNext),
    ];

    /// <summary>Adds every orchestrator and activity to a Durable Task worker's registry.</summary>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }

    /// <summary>The activities and the helpers they share, as services (activities are created per call).</summary>
    public static IServiceCollection AddActivities(this IServiceCollection services)
    {
        foreach (var activity in Activities)
        {
            services.AddTransient(activity);
        }

        services.AddTransient<ReleaseResults>();
        services.AddTransient<ChartApply>();
        return services;
    }
}

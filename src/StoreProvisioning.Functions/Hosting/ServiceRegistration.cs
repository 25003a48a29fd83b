using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Application;
using StoreProvisioning.Catalog;
using StoreProvisioning.Cluster;
using StoreProvisioning.Configuration;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Identity;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Hosting;

/// <summary>
/// The one place the app's services are wired. Program.cs and the test server both call it, so what is tested is
/// what runs.
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddStoreProvisioning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStoreProvisioningTelemetry(configuration);
        services.AddSingleton(_ => StoreProvisioningOptions.FromConfiguration(configuration, AppContext.BaseDirectory));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MetadataDatabase>(sp => sp.GetRequiredService<StoreProvisioningOptions>() switch
        {
            { StoreDatabase: StoreDatabaseKind.Postgres, PostgresConnection: { } connection } => new PostgresDatabase(connection.Value),
            var options => new SqliteDatabase(options.SqlitePath),
        });
        services.AddSingleton<ObservabilityQueries>();
        services.AddSingleton<Observability.ControlPlaneMetrics>();
        services.AddSingleton<IOperationRunObserver>(sp => sp.GetRequiredService<Observability.ControlPlaneMetrics>());
        services.AddSingleton<ICliObserver>(sp => sp.GetRequiredService<Observability.ControlPlaneMetrics>());
        services.AddSingleton<StoreRepository>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<StoreProvisioningOptions>();
            return StoreCatalog.Load(options.CatalogFile, options.PlatformChartPath);
        });
        services.AddSingleton<StoreQueries>();
        services.AddSingleton<ClusterSlotQueue>();
        services.AddSingleton<ClusterStepRuns>();
        services.AddSingleton<StoreService>();
        services.AddSingleton<StoreReleases>();
        services.AddSingleton(sp => new CliRunner(
            sp.GetRequiredService<StoreProvisioningOptions>().TerminationGrace,
            sp.GetRequiredService<ILogger<CliRunner>>())
        {
            Observer = sp.GetRequiredService<ICliObserver>(),
        });
        services.AddHostedService<CliProcessShutdown>();
        services.AddSingleton<HelmCli>();
        services.AddSingleton<KubectlCli>();
        services.AddSingleton<ApiServerAddresses>();
        services.AddSingleton<StoreIsolation>();
        services.AddSingleton(sp => new ClusterWorkLimiter(sp.GetRequiredService<StoreProvisioningOptions>().ProvisionConcurrency));
        services.AddSingleton<ClusterStepGate>();
        services.AddSingleton<OperationLauncher>();
        services.AddSingleton<OperationCanceller>();
        services.AddSingleton<OperationProgressReader>();
        services.AddSingleton<Reconciliation.StoreReconciler>();
        services.AddSingleton<Reconciliation.AuditRetention>();
        services.AddSingleton<Activities.StepTelemetry>();
        services.AddActivities();
        services.AddSingleton<ApiKeyRepository>();
        services.AddCallerAuthentication(AuthOptions.FromConfiguration(configuration));
        services.AddWorkerMiddleware();
        return services;
    }
}

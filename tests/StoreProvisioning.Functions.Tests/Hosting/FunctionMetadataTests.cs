using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// The build's functions.metadata is what the Functions host indexes: if a function is missing there, it does not
/// exist in production, whatever the tests that call its method say.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly JsonElement[] Metadata = BuildMetadata.Functions;

    // Every HTTP route of the API contract, with its methods, as the host will route them.
    [Theory]
    [InlineData("CreateStore", "stores", "post")]
    [InlineData("ListStores", "stores", "get")]
    [InlineData("GetStore", "stores/{name:regex(^(?!(metrics|activity|health)$))}", "get")]
    [InlineData("DeleteStore", "stores/{name}", "delete")]
    [InlineData("UpgradeStore", "stores/{name}/upgrade", "post")]
    [InlineData("RollbackStore", "stores/{name}/rollback", "post")]
    [InlineData("RetryStore", "stores/{name}/retry", "post")]
    [InlineData("CancelStore", "stores/{name}/cancel", "post")]
    [InlineData("GetMetrics", "stores/metrics", "get")]
    [InlineData("ListActivity", "stores/activity", "get")]
    [InlineData("Health", "health", "get")]
    public void Http_routes_are_declared_with_their_methods(string function, string route, string method)
    {
        var trigger = Trigger(function, "httpTrigger");
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
    }

    // Each lifecycle operation has its orchestrator, and each cluster step its activity.
    [Theory]
    [InlineData("ProvisionStoreOrchestrator", "orchestrationTrigger")]
    [InlineData("UpgradeStoreOrchestrator", "orchestrationTrigger")]
    [InlineData("RollbackStoreOrchestrator", "orchestrationTrigger")]
    [InlineData("RetryStoreOrchestrator", "orchestrationTrigger")]
    [InlineData("DeleteStoreOrchestrator", "orchestrationTrigger")]
    [InlineData("EnsureNamespace", "activityTrigger")]
    [InlineData("InstallRelease", "activityTrigger")]
    [InlineData("UpgradeRelease", "activityTrigger")]
    [InlineData("RollbackRelease", "activityTrigger")]
    [InlineData("UninstallRelease", "activityTrigger")]
    [InlineData("DeleteNamespaceAndRemoveStore", "activityTrigger")]
    [InlineData("MarkOperationStarted", "activityTrigger")]
    [InlineData("RemoveStore", "activityTrigger")]
    [InlineData("MarkStoreFailed", "activityTrigger")]
    [InlineData("AppendActivityNote", "activityTrigger")]
    [InlineData("CheckStepStillRunning", "activityTrigger")]
    [InlineData("NotifyWebhookOrchestrator", "orchestrationTrigger")]
    [InlineData("DeliverStoreEvent", "activityTrigger")]
    [InlineData("ReconcileStores", "timerTrigger")]
    public void Durable_and_timer_functions_are_declared(string function, string triggerType)
    {
        Trigger(function, triggerType);
    }

    // The reconciler's schedule is read from the RECONCILE_SCHEDULE app setting, so it can be changed without a build.
    [Fact]
    public void Reconciler_schedule_comes_from_an_app_setting()
    {
        Assert.Equal("%RECONCILE_SCHEDULE%", Trigger("ReconcileStores", "timerTrigger").GetProperty("schedule").GetString());
    }

    // Operations started from HTTP need the durable client binding, or the host never gives them one.
    [Theory]
    [InlineData("CreateStore")]
    [InlineData("DeleteStore")]
    [InlineData("UpgradeStore")]
    [InlineData("RollbackStore")]
    [InlineData("RetryStore")]
    [InlineData("CancelStore")]
    [InlineData("ReconcileStores")]
    public void Functions_that_start_orchestrations_bind_the_durable_client(string function)
    {
        Trigger(function, "durableClient");
    }

    // No [Function] method in the assembly is missing from the metadata, and the metadata names no function the code lacks.
    [Fact]
    public void Metadata_lists_exactly_the_functions_in_the_code()
    {
        var declared = typeof(Api.StoresApi).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
        var listed = Metadata.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(declared, listed);
    }

    // The Functions host and the test server run the same orchestrators and activities: every class the durable worker
    // registers has a trigger of the same name in the metadata, and every durable trigger in the metadata is registered.
    [Fact]
    public void Durable_triggers_are_exactly_the_registered_orchestrators_and_activities()
    {
        string[] Named(string type) => Metadata
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == type))
            .Select(f => f.GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(Functions.Hosting.DurableTasks.Orchestrators.Select(t => t.Name).Order(StringComparer.Ordinal), Named("orchestrationTrigger"));
        Assert.Equal(Functions.Hosting.DurableTasks.Activities.Select(t => t.Name).Order(StringComparer.Ordinal), Named("activityTrigger"));
    }

    // The root host.json is the one the function app runs with: the build copies it unchanged next to the worker.
    [Fact]
    public void Build_output_carries_the_root_host_json()
    {
        Assert.Equal(
            File.ReadAllText(RepositoryFiles.Path("host.json")),
            File.ReadAllText(Path.Combine(RepositoryFiles.FunctionsOutput(), "host.json")));
    }

    private static JsonElement Trigger(string function, string type)
    {
        var entry = Metadata.SingleOrDefault(f => f.GetProperty("name").GetString() == function);
        Assert.True(entry.ValueKind == JsonValueKind.Object, $"functions.metadata has no function '{function}'.");
        var binding = entry.GetProperty("bindings").EnumerateArray().FirstOrDefault(b => b.GetProperty("type").GetString() == type);
        Assert.True(binding.ValueKind == JsonValueKind.Object, $"'{function}' has no '{type}' binding.");
        return binding;
    }

}

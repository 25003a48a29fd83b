using System.Diagnostics;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Hosting;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Observability;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// Traces and log scopes of one operation, with the app's own OpenTelemetry wiring (Hosting/Telemetry) and the
/// in-memory exporter: the worker's invocation span (started here as the isolated worker starts it, from the
/// client's traceparent) → the launch span → every activity → every CLI call, all in the client's trace.
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class TelemetryTests
{
    // The isolated worker's source: its "Invoke" span is the HTTP request's span inside the worker.
    private static readonly ActivitySource Worker = new(Telemetry.WorkerSourceName);

    private static readonly string[] Activities = ["ClaimClusterSlotAndMarkStarted", "EnsureNamespace", "InstallRelease", "ReleaseClusterSlotAndStartNext"];

    // One provision, launched inside a request span that continues a client's traceparent, is one trace: request →
    // "orchestrate ProvisionStoreOrchestrator" → each activity → each helm/kubectl call; the audit rows carry its
    // trace id, and no generated credential is in any span.
    [Fact]
    public async Task One_operation_is_one_trace_from_the_request_to_every_cli_call()
    {
        var spans = new SpanList();
        await using var h = await Harness.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        _ = h.Services.GetRequiredService<TracerProvider>();

        var (store, client) = await LaunchInRequestAsync(h, "traced");

        var trace = spans.Where(s => s.TraceId == client.TraceId).ToList();
        var request = Assert.Single(trace, s => s.DisplayName == "Invoke");
        Assert.Equal(client.SpanId, request.ParentSpanId);
        var launch = Assert.Single(trace, s => s.DisplayName == "orchestrate ProvisionStoreOrchestrator");
        Assert.Equal(request.SpanId, launch.ParentSpanId);
        Assert.Equal("traced", launch.GetTagItem("store.name"));

        var steps = trace.Where(s => Activities.Contains(s.DisplayName)).ToList();
        Assert.Equal(Activities.Order(), steps.Select(s => s.DisplayName).Distinct().Order());
        Assert.All(steps, s => Assert.Equal(launch.SpanId, s.ParentSpanId));
        Assert.All(steps, s => Assert.Equal(store.OperationId, s.GetTagItem(StepTelemetry.OperationIdAttribute)));

        var cli = trace.Where(s => s.Source.Name == Tracing.SourceName && s.Kind == ActivityKind.Client).ToList();
        Assert.Contains(cli, s => s.DisplayName == "helm upgrade" && (string)s.GetTagItem(CliSpan.CommandLineAttribute)! is var line && line.Contains("--install traced", StringComparison.Ordinal));
        Assert.Contains(cli, s => s.DisplayName == "kubectl apply");
        Assert.All(cli, s => Assert.Contains(s.ParentSpanId, steps.Select(p => p.SpanId)));
        Assert.All(cli, s => Assert.IsType<int>(s.GetTagItem(CliSpan.ExitCodeAttribute)));
        Assert.Contains(cli, s => s.DisplayName == "helm upgrade" && Equals(s.GetTagItem(CliSpan.ExitCodeAttribute), 0) && s.Status == ActivityStatusCode.Unset);
        // A new release's status read exits 1 ("release: not found"): an answer, so a store that went well has no error span.
        Assert.Contains(cli, s => s.DisplayName == "helm status" && Equals(s.GetTagItem(CliSpan.ExitCodeAttribute), 1));
        Assert.All(trace, s => Assert.NotEqual(ActivityStatusCode.Error, s.Status));
        var install = Assert.Single(steps, s => s.DisplayName == "InstallRelease");
        Assert.Contains(cli, s => s.DisplayName == "helm upgrade" && s.ParentSpanId == install.SpanId);

        var audit = await h.AuditAsync("traced");
        Assert.Contains(audit, a => a.Action == "install.succeeded");
        Assert.All(audit, a => Assert.Equal(client.TraceId.ToHexString(), a.TraceId));

        var secrets = Credentials(h.Fakes.ValuesOf("traced")!);
        Assert.NotEmpty(secrets);
        var recorded = string.Join('\n', spans.Select(SpanList.Describe));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, recorded));
    }

    // Every log line inside the operation — the launcher's, the orchestrator's (replay-safe), the activities' and
    // the CLI runner's — carries store, operationId and traceId as scope properties.
    [Fact]
    public async Task Log_lines_inside_an_operation_carry_store_operation_id_and_trace_id()
    {
        await using var h = await Harness.StartAsync();

        var (store, client) = await LaunchInRequestAsync(h, "scoped");

        var traceId = client.TraceId.ToHexString();
        var lines = h.Logs.Entries.Where(e => Equals(e.Scope.GetValueOrDefault(OperationLogScope.Store), "scoped")).ToList();
        Assert.All(lines, e =>
        {
            Assert.Equal(store.OperationId, e.Scope[OperationLogScope.OperationId]);
            Assert.Equal(traceId, e.Scope[OperationLogScope.TraceId]);
        });
        Assert.Contains(lines, e => e.Category.EndsWith(nameof(OperationLauncher), StringComparison.Ordinal));
        Assert.Contains(lines, e => e.Category == nameof(ProvisionStoreOrchestrator));
        Assert.Contains(lines, e => e.Category.EndsWith("CliRunner", StringComparison.Ordinal) && e.Message.StartsWith("Running helm upgrade", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.Category.EndsWith("CliRunner", StringComparison.Ordinal) && e.Message.StartsWith("Running kubectl apply", StringComparison.Ordinal));

        // Every helm/kubectl line of this store is in its scope.
        var cliLines = h.Logs.Entries.Where(e => e.Category.EndsWith("CliRunner", StringComparison.Ordinal) && e.Message.Contains("scoped", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cliLines);
        Assert.All(cliLines, e => Assert.Equal("scoped", e.Scope.GetValueOrDefault(OperationLogScope.Store)));
    }

    // A queued install admitted by a release: from orchestrator version 3 that release marks it started, in the install's
    // own trace (its install.started row and its MarkOperationStarted span, none in the releaser's trace), and the
    // install claims its slot once, before it waits. At version 2 it claims again after its wake-up, marking itself.
    [Theory]
    [InlineData(OrchestrationVersions.StartedByRelease, 1, 1)]
    [InlineData(OrchestrationVersions.StartsOnAdmission, 2, 0)]
    public async Task A_queued_install_is_marked_started_by_the_release_that_admits_it_from_version_3(string version, int claims, int markedByRelease)
    {
        var spans = new SpanList();
        await using var h = await Harness.StartAsync(
            f => f.Helm("FAKE_HELM_DELAY_SECONDS", "1"),
            new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" },
            s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        _ = h.Services.GetRequiredService<TracerProvider>();
        var holder = await h.CreateAsync("holder", user: "holder");
        var waiter = await h.CreateAsync("waiter", user: "waiter");

        var holding = RunTracedAsync(h, holder, version);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await h.Repository.GetAsync("holder"))!.Status != StoreStatus.Provisioning) // started on admission: it holds the slot
        {
            Assert.True(DateTime.UtcNow < deadline, "the first install never started");
            await Task.Delay(20);
        }

        var waiting = RunTracedAsync(h, waiter, version);
        var holderTrace = await holding;
        var waiterTrace = await waiting;

        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync("waiter"))!.Status);
        var waiterSpans = spans.Where(s => s.TraceId == waiterTrace).ToList();
        Assert.Equal(claims, waiterSpans.Count(s => s.DisplayName == nameof(ClaimClusterSlotAndMarkStarted)));
        Assert.Equal(markedByRelease, waiterSpans.Count(s => s.DisplayName == nameof(MarkOperationStarted)));
        Assert.DoesNotContain(spans, s => s.TraceId == holderTrace && s.DisplayName == nameof(MarkOperationStarted));
        var audit = await h.AuditAsync("waiter");
        Assert.Equal(waiterTrace.ToHexString(), Assert.Single(audit, a => a.Action == AuditActions.InstallStarted).TraceId);
        Assert.All(audit.Where(a => a.Action != AuditActions.CreateRequested), a => Assert.Equal(waiterTrace.ToHexString(), a.TraceId)); // requested outside any trace here
    }

    /// <summary>Runs the store's install at <paramref name="version"/> with a trace of its own; returns the trace id.</summary>
    private static async Task<ActivityTraceId> RunTracedAsync(Harness h, Store store, string version)
    {
        var trace = ActivityTraceId.CreateRandom();
        await h.RunAsync(store, wait: TimeSpan.FromSeconds(90), version: version, traceParent: $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return trace;
    }

    // The webhook delivery runs in an orchestration of its own, outside the operation's trace; its audit row still
    // carries the trace id of the operation it announces, so the activity trail of one operation is one trace.
    [Fact]
    public async Task Webhook_delivery_rows_carry_the_announced_operations_trace_id()
    {
        var closed = StoreProvisioning.TestServer.DurableEngine.FreeLoopbackPort(); // nobody listens: the attempt fails at once
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["NOTIFY_WEBHOOK_URL"] = $"http://127.0.0.1:{closed}/hook",
            ["NOTIFY_WEBHOOK_SECRET"] = "webhook-secret-for-tests-0123456789",
            ["NOTIFY_WEBHOOK_ALLOW_HTTP"] = "true",
            ["NOTIFY_WEBHOOK_ATTEMPTS"] = "1",
        });

        var (_, client) = await LaunchInRequestAsync(h, "announced");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        ActivityEntry? delivery;
        while ((delivery = (await h.AuditAsync("announced")).FirstOrDefault(a => a.Action == AuditActions.WebhookFailed)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no webhook attempt was recorded");
            await Task.Delay(100);
        }

        Assert.Equal(client.TraceId.ToHexString(), delivery.TraceId);
    }

    /// <summary>Creates the store and launches its install inside an "Invoke" span continuing a client's traceparent, as POST /api/stores does; waits for the end.</summary>
    private static async Task<(Store Store, ActivityContext Client)> LaunchInRequestAsync(Harness h, string name)
    {
        var client = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        Store store;
        using (Worker.StartActivity("Invoke", ActivityKind.Internal, client))
        {
            store = await h.CreateAsync(name);
            Assert.True(await h.Services.GetRequiredService<OperationLauncher>().StartAsync(h.Host.Client, store, CancellationToken.None));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var metadata = await h.Host.Client.WaitForInstanceCompletionAsync(OperationLauncher.InstanceIdFor(store), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.Contains(client.TraceId.ToHexString(), metadata.SerializedInput);
        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync(name))!.Status);
        return (store, client);
    }

    private static List<string> Credentials(string valuesJson)
    {
        using var values = JsonDocument.Parse(valuesJson);
        return values.RootElement.GetProperty("credentials").EnumerateObject()
            .Where(p => p.Name != "adminEmail")
            .Select(p => p.Value.GetString()!)
            .ToList();
    }
}

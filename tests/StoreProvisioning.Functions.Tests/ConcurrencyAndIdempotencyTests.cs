using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using StoreProvisioning.Functions.Activities;
using StoreProvisioning.Functions.Orchestration;
using StoreProvisioning.Functions.Tests.Infrastructure;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Functions.Tests;

/// <summary>PROVISION_CONCURRENCY bounds helm runs across stores; activities can run twice without changing the outcome.</summary>
[Collection(OrchestrationCollection.Name)]
public sealed class ConcurrencyAndIdempotencyTests
{
    // Slow stores at PROVISION_CONCURRENCY=N (6 at 2, 4 at 1): never more than N `helm upgrade` processes overlap (from calls.jsonl), and all end READY.
    [Theory]
    [InlineData(2, 6)]
    [InlineData(1, 4)]
    public async Task Concurrent_provisions_never_exceed_the_limit(int concurrency, int count)
    {
        await using var h = await Harness.StartAsync(
            f => f.Helm("FAKE_HELM_DELAY_SECONDS", "2"), // long enough that the two slots' helm runs overlap even on a loaded machine
            new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var names = Enumerable.Range(1, count).Select(i => $"shop{i}").ToList();
        var stores = new List<Store>();
        foreach (var name in names)
        {
            stores.Add(await h.CreateAsync(name, user: name));
        }

        var runs = await Task.WhenAll(stores.Select(s => h.RunAsync(s, wait: TimeSpan.FromSeconds(90))));

        Assert.All(runs, s => Assert.Equal(StoreStatus.Ready, s!.Status));
        var upgrades = h.Fakes.Calls().Where(c => c.Tool == "helm" && c.Argv[0] == "upgrade").ToList();
        Assert.Equal(count, upgrades.Count);
        Assert.All(upgrades, u => Assert.NotNull(u.End));
        var atOnce = Intervals.MaxOpenAtOnce(upgrades);
        Assert.True(atOnce <= concurrency, $"{atOnce} helm upgrades ran at once with PROVISION_CONCURRENCY={concurrency}");
        if (concurrency == 2)
        {
            Assert.Equal(2, atOnce); // the bound is reached, so the work really runs in parallel
        }
    }

    // The durable deadline guards a step's running time, not its wait for a cluster slot: stores queued behind slow installs are not failed as timed out.
    [Fact]
    public async Task Steps_queued_for_a_slot_are_not_timed_out()
    {
        // helm sleeps 4 s, so at PROVISION_CONCURRENCY=1 the last of 4 stores waits at least 3 x 4 s = 12 s for its slot,
        // past the 10 s deadline, while each step keeps 6 s of room for the process overhead of a loaded machine.
        await using var h = await Harness.StartAsync(
            f => f.Helm("FAKE_HELM_DELAY_SECONDS", "4"),
            new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" });
        var stores = new List<Store>();
        foreach (var name in new[] { "q1", "q2", "q3", "q4" })
        {
            stores.Add(await h.CreateAsync(name, user: name));
        }

        var deadline = TimeSpan.FromSeconds(10);
        var runs = await Task.WhenAll(stores.Select(s => h.RunAsync(s, deadline: deadline, wait: TimeSpan.FromSeconds(180))));

        Assert.All(runs, s => Assert.True(s!.Status == StoreStatus.Ready, $"{s.Name}: {s.Status} {s.Error}"));
        var upgrades = h.Fakes.Calls().Where(c => c.Argv[0] == "upgrade").OrderBy(c => c.Start).ToList();
        Assert.True(upgrades[^1].Start - upgrades[0].Start > deadline.TotalSeconds, "the last install started more than a deadline after the first");
    }

    // One slot per operation, first in first out: a burst at PROVISION_CONCURRENCY=2 runs store by store. A store starts
    // its cluster work only once all but one of the stores that arrived before it have finished theirs (so none waits
    // behind later arrivals' first steps), never more than 2 stores have cluster work open at once and never more than
    // 2 helm/kubectl mutations run at once. Two stores admitted in the same instant may make their first calls in either
    // order, so the order of first calls is not asserted; admission order is what the counting rule pins down.
    [Fact]
    public async Task A_burst_runs_depth_first_in_arrival_order()
    {
        await using var h = await Harness.StartAsync(
            f => f.Helm("FAKE_HELM_DELAY_SECONDS", "0.4"),
            new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "2" });
        var stores = new List<Store>();
        foreach (var name in new[] { "b1", "b2", "b3", "b4", "b5", "b6" })
        {
            stores.Add(await h.CreateAsync(name, user: name));
        }

        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();
        var runs = new List<Task<Store?>>();
        foreach (var store in stores)
        {
            runs.Add(h.RunAsync(store, wait: TimeSpan.FromSeconds(90)));
            // Arrival = joining the queue: the next store arrives once this one is in line (or already through it).
            await WaitUntilAsync(async () => (await queue.ListAsync(2)).Any(c => c.StoreName == store.Name) || runs[^1].IsCompleted
                || h.Fakes.Calls().Any(c => c.Argv.Contains(store.Namespace)));
        }

        Assert.All(await Task.WhenAll(runs), s => Assert.Equal(StoreStatus.Ready, s!.Status));
        var calls = h.Fakes.Calls();
        var mutations = calls.Where(IsMutation).ToList();
        // A store's cluster work: from the first to the last call naming it (its `kubectl apply` reads stdin and lies between).
        var byStore = stores.ToDictionary(s => s.Name, s => calls.Where(c => c.Argv.Contains(s.Namespace) || c.Argv.Contains(s.Name)).ToList());
        Assert.All(byStore.Values, calls => Assert.NotEmpty(calls));
        var firstStart = byStore.ToDictionary(kv => kv.Key, kv => kv.Value.Min(c => c.Start));
        var lastEnd = byStore.ToDictionary(kv => kv.Key, kv => kv.Value.Max(c => c.End!.Value));

        for (var j = 2; j < stores.Count; j++)
        {
            var store = stores[j].Name;
            var earlierFinished = stores.Take(j).Count(s => lastEnd[s.Name] <= firstStart[store]);
            Assert.True(earlierFinished >= j - 1, $"{store} started its cluster work when only {earlierFinished} of the {j} stores before it had finished");
        }

        var open = Intervals.MaxOpenAtOnce(stores.Select(s => (firstStart[s.Name], lastEnd[s.Name])));
        Assert.True(open <= 2, $"{open} stores held cluster work at once with PROVISION_CONCURRENCY=2");
        var inFlight = Intervals.MaxOpenAtOnce(mutations);
        Assert.True(inFlight <= 2, $"{inFlight} helm/kubectl mutations ran at once with PROVISION_CONCURRENCY=2");
        Assert.Empty(await queue.ListAsync(2)); // every slot given back
    }

    // Since version 2 the claim that admits an install marks it started: an install queued behind another stays NEW,
    // with no install.started, until it holds a slot. An orchestration started before that version (no version) still
    // runs its old order, MarkOperationStarted first, so it is PROVISIONING while it waits. Both end READY.
    [Fact]
    public async Task A_queued_install_stays_new_until_admitted_and_an_older_orchestration_keeps_its_order()
    {
        await using var h = await Harness.StartAsync(
            f => f.Helm("FAKE_HELM_DELAY_SECONDS", "1.5"),
            new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" });
        var first = await h.CreateAsync("first", user: "u1");
        var queued = await h.CreateAsync("queued", user: "u2");
        var older = await h.CreateAsync("older", user: "u3");
        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();

        var firstRun = h.RunAsync(first, wait: TimeSpan.FromSeconds(60));
        await WaitUntilAsync(async () => (await queue.ListAsync(1)).Count == 1);
        var queuedRun = h.RunAsync(queued, wait: TimeSpan.FromSeconds(60));
        var olderRun = h.RunAsync(older, wait: TimeSpan.FromSeconds(60), version: string.Empty);
        await WaitUntilAsync(async () => (await queue.ListAsync(1)).Count == 3);

        Assert.True((await queue.ListAsync(1)).Single(c => c.StoreName == "first").Admitted, "the first install holds the slot");
        Assert.Equal(StoreStatus.New, (await h.Repository.GetAsync("queued"))!.Status);
        Assert.DoesNotContain(AuditActions.InstallStarted, await h.ActionsAsync("queued"));
        Assert.Equal(StoreStatus.Provisioning, (await h.Repository.GetAsync("older"))!.Status);
        Assert.Contains(AuditActions.InstallStarted, await h.ActionsAsync("older"));

        Assert.All(await Task.WhenAll(firstRun, queuedRun, olderRun), s => Assert.Equal(StoreStatus.Ready, s!.Status));
        Assert.Single(await h.ActionsAsync("queued"), a => a == AuditActions.InstallStarted);
        Assert.Empty(await queue.ListAsync(1));
    }

    // A slot the queue admitted an operation to, but which it could not start in (its store moved on meanwhile: here the
    // row was failed under the same operation id), is given back at once instead of waiting for the reconciler.
    [Fact]
    public async Task An_admitted_operation_that_cannot_start_gives_its_slot_back()
    {
        await using var h = await Harness.StartAsync();
        var store = await h.CreateAsync("acme");
        var input = OperationLauncher.InputFor(store, h.Options.OperationDeadline);
        await h.Services.GetRequiredService<MarkStoreFailed>().RunAsync(new FailureReport(input, "failed meanwhile", TimedOut: false, CollectDiagnostics: false), default);

        var after = await h.RunAsync(store);

        Assert.Equal(StoreStatus.Failed, after!.Status);
        Assert.Empty(await h.Services.GetRequiredService<ClusterSlotQueue>().ListAsync(1));
        Assert.Empty(h.Fakes.Calls());
    }

    // Cancelling the slot holder gives its slot to the next operation in line at once (not at the next recheck).
    [Fact]
    public async Task Cancel_releases_the_slot_to_the_next_in_line()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" });
        h.Fakes.SetBehaviour("stuck", "hang");
        var stuck = await h.CreateAsync("stuck", user: "u1");
        var next = await h.CreateAsync("next", user: "u2");
        var stuckRun = h.Host.Client.ScheduleNewOrchestrationInstanceAsync(
            OperationLauncher.OrchestratorFor(stuck.Operation!.Value), OperationLauncher.InputFor(stuck, h.Options.OperationDeadline),
            OperationLauncher.StartOptions(OperationLauncher.InstanceIdFor(stuck)));
        await stuckRun;
        await WaitUntilAsync(() => h.Fakes.Calls().Any(c => c.Tool == "helm" && c.Argv[0] == "upgrade" && c.End is null));
        var nextRun = h.RunAsync(next, wait: TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await h.Services.GetRequiredService<ClusterSlotQueue>().ListAsync(1)).Count == 2);

        var cancelled = await h.Stores.CancelAsync(Callers.Operator, "stuck");
        Assert.True(cancelled.IsOk, cancelled.Refusal?.Detail);
        await h.Services.GetRequiredService<OperationCanceller>().StopAsync(h.Host.Client, cancelled.Value!, default);

        Assert.Equal(StoreStatus.Ready, (await nextRun)!.Status); // well before the five-minute recheck
    }

    // A claim left by an operation that ended without releasing it (crash, terminated, store gone) is released by the
    // reconciler, and the operation waiting behind it is admitted.
    [Fact]
    public async Task Reconciler_releases_a_crashed_operations_claim()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" });
        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();
        Assert.True(await queue.ClaimAsync("crashed-op", "ghost", "store-ghost-crashed-op", 1));
        var waiting = await h.CreateAsync("waiting");
        var run = h.RunAsync(waiting, wait: TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await queue.ListAsync(1)).Count == 2);
        Assert.False(run.IsCompleted);

        await h.Services.GetRequiredService<StoreProvisioning.Functions.Reconciliation.StoreReconciler>().RunAsync(h.Host.Client, default);

        Assert.Equal(StoreStatus.Ready, (await run)!.Status);
        Assert.Empty(await queue.ListAsync(1));
    }

    // A wake-up that never arrived (the releasing side died between giving the slot back and telling the next operation)
    // is repaired by the reconciler's next pass: the operation that now holds the slot but still waits for it is told
    // again, minutes before its own recheck.
    [Fact]
    public async Task Reconciler_wakes_an_admitted_operation_whose_wake_up_was_lost()
    {
        await using var h = await Harness.StartAsync(settings: new Dictionary<string, string?> { ["PROVISION_CONCURRENCY"] = "1" });
        var queue = h.Services.GetRequiredService<ClusterSlotQueue>();
        var holder = await h.CreateAsync("holder", user: "u1"); // in flight, so its claim is not stale
        Assert.True(await queue.ClaimAsync(holder.OperationId!, holder.Name, OperationLauncher.InstanceIdFor(holder), 1));
        var waiting = await h.CreateAsync("waiting", user: "u2");
        var run = h.RunAsync(waiting, wait: TimeSpan.FromSeconds(30));
        await WaitUntilAsync(async () => (await queue.ListAsync(1)).Count == 2);

        // The holder gives its slot back and the event to the operation it admitted is lost.
        Assert.Equal(new[] { OperationLauncher.InstanceIdFor(waiting) }, await queue.ReleaseAsync(holder.OperationId!, 1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(run.IsCompleted, "nothing told the waiting operation, yet it went on");

        await h.Services.GetRequiredService<StoreProvisioning.Functions.Reconciliation.StoreReconciler>().RunAsync(h.Host.Client, default);

        Assert.Equal(StoreStatus.Ready, (await run)!.Status);
        Assert.Empty(await queue.ListAsync(1));
    }

    // Running the install activities twice (a re-delivered work item) leaves the same end state: READY at revision 1, one helm install.
    [Fact]
    public async Task Install_activities_are_idempotent()
    {
        await using var h = await Harness.StartAsync();
        var store = await h.CreateAsync("acme");
        var input = OperationLauncher.InputFor(store, h.Options.OperationDeadline);
        var started = h.Services.GetRequiredService<MarkOperationStarted>();
        var ns = h.Services.GetRequiredService<EnsureNamespace>();
        var install = h.Services.GetRequiredService<InstallRelease>();

        Assert.True((await started.RunAsync(input, default)).Succeeded);
        Assert.True((await started.RunAsync(input, default)).Succeeded);
        Assert.True((await ns.RunAsync(input, default)).Succeeded);
        Assert.True((await ns.RunAsync(input, default)).Succeeded);
        var first = await install.RunAsync(input, default);
        var afterFirst = await h.Repository.GetAsync("acme");
        var second = await install.RunAsync(input, default);
        var afterSecond = await h.Repository.GetAsync("acme");

        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        Assert.Equal(1, second.Revision);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(StoreStatus.Ready, afterSecond!.Status);
        Assert.Single(h.Fakes.Calls(), c => c.Argv[0] == "upgrade");
        Assert.Single(await h.ActionsAsync("acme"), a => a == AuditActions.InstallStarted);
        Assert.Single(await h.ActionsAsync("acme"), a => a == AuditActions.InstallSucceeded);
    }

    // The same install step delivered twice at once (the durable engine delivers at least once; with two instances a second
    // delivery can start while the first runs): helm runs once, the second delivery waits for the first and finds it done.
    [Fact]
    public async Task Install_delivered_twice_at_once_runs_helm_once()
    {
        await using var h = await Harness.StartAsync(f => f.Helm("FAKE_HELM_DELAY_SECONDS", "1"));
        var store = await h.CreateAsync("acme");
        var input = OperationLauncher.InputFor(store, h.Options.OperationDeadline);
        await h.Services.GetRequiredService<MarkOperationStarted>().RunAsync(input, default);
        await h.Services.GetRequiredService<EnsureNamespace>().RunAsync(input, default);

        var outcomes = await Task.WhenAll(
            h.Services.GetRequiredService<InstallRelease>().RunAsync(input, default),
            h.Services.GetRequiredService<InstallRelease>().RunAsync(input, default));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Message));
        Assert.All(outcomes, o => Assert.Equal(1, o.Revision));
        Assert.Single(h.Fakes.Calls(), c => c.Argv[0] == "upgrade");
        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync("acme"))!.Status);
        Assert.Single(await h.ActionsAsync("acme"), a => a == AuditActions.InstallSucceeded);
        Assert.Contains(h.Logs.Lines, l => l.Contains("another run of a cluster step is under way"));
    }

    // An install interrupted after helm succeeded but before it was recorded is simply run again: READY, release deployed.
    [Fact]
    public async Task Install_rerun_after_an_unrecorded_success_converges()
    {
        await using var h = await Harness.StartAsync();
        var store = await h.CreateAsync("acme");
        var input = OperationLauncher.InputFor(store, h.Options.OperationDeadline);
        await h.Services.GetRequiredService<MarkOperationStarted>().RunAsync(input, default);
        await h.Services.GetRequiredService<EnsureNamespace>().RunAsync(input, default);
        // helm ran to the end, but the process died before recording READY: the store is still PROVISIONING.
        await RunHelmInstallBehindTheActivitysBackAsync(h);

        var outcome = await h.Services.GetRequiredService<InstallRelease>().RunAsync(input, default);

        Assert.True(outcome.Succeeded);
        var after = await h.Repository.GetAsync("acme");
        Assert.Equal(StoreStatus.Ready, after!.Status);
        Assert.Equal(2, after.Revision);
    }

    // Delete's activities run twice leave the same end state: no release, no namespace, no row, one store.removed.
    [Fact]
    public async Task Delete_activities_are_idempotent()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        var accepted = (await h.Stores.DeleteAsync(Callers.Operator, "acme")).Value!;
        var input = OperationLauncher.InputFor(accepted, h.Options.OperationDeadline);
        var uninstall = h.Services.GetRequiredService<UninstallRelease>();
        var deleteNamespace = h.Services.GetRequiredService<DeleteNamespaceAndRemoveStore>();
        var remove = h.Services.GetRequiredService<RemoveStore>();

        Assert.True((await uninstall.RunAsync(input, default)).Succeeded);
        Assert.True((await uninstall.RunAsync(input, default)).Succeeded);
        Assert.True((await deleteNamespace.RunAsync(new RemovalRequest(input, []), default)).Succeeded); // deletes and removes the row
        Assert.True((await deleteNamespace.RunAsync(new RemovalRequest(input, []), default)).Succeeded);
        Assert.True((await remove.RunAsync(new RemovalRequest(input, []), default)).Succeeded);
        Assert.True((await remove.RunAsync(new RemovalRequest(input, []), default)).Succeeded);

        Assert.Null(await h.Repository.GetAsync("acme"));
        Assert.Single(await h.ActionsAsync("acme"), a => a == AuditActions.StoreRemoved);
    }

    // A step carrying an old operation id is fenced off: it records nothing and touches no release.
    [Fact]
    public async Task Steps_of_a_superseded_operation_do_nothing()
    {
        await using var h = await Harness.StartAsync();
        await h.ProvisionAsync("acme");
        var stale = OperationLauncher.InputFor((await h.Repository.GetAsync("acme"))!) with { Operation = StoreOperation.Upgrade };
        await h.Stores.UpgradeAsync(Callers.Operator, "acme", null); // a newer operation takes the store
        var before = h.Fakes.Calls().Count;

        var outcome = await h.Services.GetRequiredService<UpgradeRelease>().RunAsync(stale, default);

        Assert.Equal(StepResult.Superseded, outcome.Result);
        Assert.Equal(before, h.Fakes.Calls().Count);
        Assert.Equal(StoreStatus.Provisioning, (await h.Repository.GetAsync("acme"))!.Status);
    }

    // A timeout report that arrives after the step succeeded (the race's loser) does not flip a READY store to FAILED.
    [Fact]
    public async Task Late_failure_report_leaves_a_ready_store_alone()
    {
        await using var h = await Harness.StartAsync();
        var ready = await h.ProvisionAsync("acme");
        var input = OperationLauncher.InputFor(ready!, h.Options.OperationDeadline);

        var outcome = await h.Services.GetRequiredService<MarkStoreFailed>()
            .RunAsync(new FailureReport(input, "Install timed out after 1s", TimedOut: true, CollectDiagnostics: false), default);

        Assert.Equal(StepResult.Superseded, outcome.Result);
        Assert.Equal(StoreStatus.Ready, (await h.Repository.GetAsync("acme"))!.Status);
        Assert.DoesNotContain(AuditActions.OperationTimedOut, await h.ActionsAsync("acme"));
    }

    private static bool IsMutation(CliCall call) =>
        (call.Tool == "helm" && call.Argv[0] is "upgrade" or "install" or "rollback" or "uninstall")
        || (call.Tool == "kubectl" && call.Argv[0] is "apply" or "delete");

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not reached within 30s");
            await Task.Delay(50);
        }
    }

    private static async Task RunHelmInstallBehindTheActivitysBackAsync(Harness h)
    {
        var values = Path.Combine(h.Root, "values.json");
        await File.WriteAllTextAsync(values, """{"store":{"name":"acme"}}""");
        var helm = h.Services.GetRequiredService<StoreProvisioning.Cluster.HelmCli>();
        await helm.UpgradeInstallAsync("acme", Path.Combine(RepositoryFiles.Path("helm"), "woocommerce"), "store-acme", [values], false, [], default);
    }
}

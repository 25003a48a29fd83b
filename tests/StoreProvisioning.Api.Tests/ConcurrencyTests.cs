using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>PROVISION_CONCURRENCY bounds how many helm runs touch the cluster at once.</summary>
public sealed class ConcurrencyTests(SlowHelmServer fixture, ITestOutputHelper output) : IClassFixture<SlowHelmServer>
{
    private readonly HttpClient client = fixture.Client;
    private readonly TestServerProcess server = fixture.Server;

    [Fact]
    // Proves 6 slow stores at PROVISION_CONCURRENCY=2 all end READY and never more than 2 helm upgrade runs overlap (from calls.jsonl).
    public async Task Six_slow_stores_never_overlap_more_than_two_helm_runs()
    {
        var names = Enumerable.Range(1, 6).Select(i => $"slow-store-{i}").ToList();
        foreach (var name in names)
        {
            using var response = await client.CreateAsync(name, "slow-user");
            await response.AssertAcceptedAsync(name);
        }

        // The last store waits behind two slots of 2 s installs: it is NEW, waiting for a slot, and not started (the
        // test server starts it at the current orchestration version, whose claim marks an operation started only
        // once it is admitted).
        var queued = await client.WaitForStepAsync(names[^1], "waiting for a cluster slot");
        Assert.Equal("NEW", queued.GetProperty("status").GetString());

        foreach (var name in names)
        {
            Assert.Equal("READY", (await client.WaitForStatusAsync(name, ApiCalls.Terminal, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }

        var helmRuns = server.FakeCli.Calls().Where(c => c.Tool == "helm" && c.Argv.Length > 0 && c.Argv[0] == "upgrade").ToList();
        var starts = helmRuns.ToDictionary(c => c.Pid, c => c.Start);
        var ends = helmRuns.Where(c => c.End is not null).ToDictionary(c => c.Pid, c => c.End!.Value);
        Assert.Equal(6, starts.Count);
        Assert.Equal(starts.Keys.Order(), ends.Keys.Order());

        // Sweep over start (+1) and end (-1) events; at equal times an end comes first.
        var events = starts.Select(s => (Time: s.Value, Delta: 1)).Concat(ends.Select(e => (Time: e.Value, Delta: -1)))
            .OrderBy(e => e.Time).ThenBy(e => e.Delta);
        int running = 0, most = 0;
        foreach (var (_, delta) in events)
        {
            running += delta;
            most = Math.Max(most, running);
        }

        output.WriteLine($"most helm upgrade runs at once: {most}");
        Assert.InRange(most, 1, 2);
        var span = ends.Values.Max() - starts.Values.Min();
        output.WriteLine($"6 installs of 2 s took {span:F1} s");
        Assert.True(span >= 5.5, $"6 installs of 2 s at concurrency 2 cannot finish in {span:F1} s");
    }
}

using System.Net;
using Npgsql;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace StoreProvisioning.Api.Tests;

/// <summary>
/// Two control-plane instances, as two replicas would run: two test servers sharing one PostgreSQL database
/// (STORE_DATABASE=postgres), one durable task hub on a real Azurite (DURABLE_BACKEND=azurite, same AzureWebJobsStorage and
/// DURABLE_TASK_HUB) and one simulated cluster (the fake CLIs' state). The guardrails and the cluster-wide bound hold
/// across both, and a SIGKILL of one leaves its work to the other. Needs TEST_POSTGRES_CONNECTION (scripts/test.sh runs
/// this project through scripts/with-postgres.sh); skipped without it outside CI, failed without it in CI.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Azurite? azurite;
    private string? why;
    private string? database;
    private string? databaseConnection;
    private string? sharedRoot;
    private readonly List<TestServerProcess> servers = [];

    private TestServerProcess First => servers[0];

    private TestServerProcess Second => servers[1];

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("TEST_POSTGRES_CONNECTION");
        if (string.IsNullOrEmpty(postgres))
        {
            why = "TEST_POSTGRES_CONNECTION is not set (run through scripts/with-postgres.sh)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", why + ": CI must run the multi-instance tests");
            return;
        }

        (azurite, why) = await Azurite.StartAsync();
        if (azurite is null)
        {
            return;
        }

        database = "mi_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        databaseConnection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        sharedRoot = Path.Combine(Path.GetTempPath(), "multi-instance-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(sharedRoot, "fake-cli"));
        var settings = new Dictionary<string, string>
        {
            ["STORE_DATABASE"] = "postgres",
            ["POSTGRES_CONNECTION"] = databaseConnection,
            ["DURABLE_BACKEND"] = "azurite",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DURABLE_TASK_HUB"] = "Multi" + Guid.NewGuid().ToString("N")[..8],
            // Well above how long an activity takes to start and renew its message: at 5 s a running install reappeared on
            // the other instance and ran twice in parallel (README "Scaling"). After a kill its messages come back after this long.
            ["DURABLE_VISIBILITY_TIMEOUT"] = "30s",
            ["FAKE_CLI_STATE"] = Path.Combine(sharedRoot, "fake-cli"),
            ["BOOTSTRAP_ADMIN_KEY"] = "test-admin-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            ["PROVISION_CONCURRENCY"] = "2",
            ["MAX_STORES_PER_USER"] = "3",
            ["FAKE_HELM_DELAY_SECONDS"] = "2",
            ["RECONCILE_INTERVAL"] = "5s",
            // One activity at a time per instance (the host.json setting, through its app-setting override): two installs
            // at once then need both instances, so reaching PROVISION_CONCURRENCY shows the bound is cluster-wide. With
            // host.json's 6, one instance can take every activity and the other would never run helm.
            ["AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions"] = "1",
        };

        // One after the other: the first creates the schema, the second finds it migrated.
        servers.Add(await TestServerProcess.StartAsync(settings));
        servers.Add(await TestServerProcess.StartAsync(settings));
    }

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        if (database is not null)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("TEST_POSTGRES_CONNECTION"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (sharedRoot is not null && Environment.GetEnvironmentVariable("KEEP_TEST_SERVER_STATE") != "1")
        {
            try
            {
                Directory.Delete(sharedRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // Proves the per-user limit holds across instances under a race: 20 creates for one user, alternating between the two instances, accept exactly MAX_STORES_PER_USER; the rest are problems and leave no row.
    [SkippableFact]
    public async Task Parallel_creates_over_both_instances_accept_exactly_the_per_user_limit()
    {
        Skip.If(servers.Count < 2, why);
        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            (i % 2 == 0 ? First : Second).Client.CreateAsync($"race-{i}", "racer")));

        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        Assert.Equal(3, accepted.Count);
        foreach (var refused in responses.Except(accepted))
        {
            await refused.AssertClientErrorProblemAsync("a create over the per-user limit");
        }

        var mine = await First.Client.GetJsonAsync("/api/stores?limit=500");
        Assert.Equal(3, mine.EnumerateArray().Count(s => s.GetProperty("userId").GetString() == "racer"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    // Proves the cluster-wide bound: 10 slow installs split over both instances never have more than PROVISION_CONCURRENCY=2 helm runs in flight across the two, and all end READY.
    [SkippableFact]
    public async Task Slow_installs_split_over_both_instances_share_one_cluster_wide_bound()
    {
        Skip.If(servers.Count < 2, why);
        var names = Enumerable.Range(1, 10).Select(i => $"slow-{i}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            using var created = await (i % 2 == 0 ? First : Second).Client.CreateAsync(names[i], $"owner-{i}");
            await created.AssertAcceptedAsync(names[i]);
        }

        foreach (var name in names)
        {
            var store = await First.Client.WaitForStatusAsync(name, ApiCalls.Terminal, TimeSpan.FromSeconds(240));
            Assert.True(store.GetProperty("status").GetString() == "READY", $"{name}: {store}");
        }

        var upgrades = First.FakeCli.Calls().Where(c => c.Tool == "helm" && c.Argv[0] == "upgrade").ToList();
        foreach (var upgrade in upgrades)
        {
            output.WriteLine($"{upgrade.Caller} {upgrade.Start:F3}-{upgrade.End:F3} exit {upgrade.Exit}: {upgrade.Command}");
        }

        Assert.Equal(names.Count, upgrades.Count);
        Assert.Equal(2, Intervals.MaxOpenAtOnce(upgrades)); // at the bound, never over it
        Assert.All(servers, server => Assert.Contains(upgrades, u => u.Caller == server.Instance)); // both instances did work
    }

    // Proves a SIGKILL of one instance mid-provision leaves nothing stuck: the other instance finishes every store, no store's helm install ever runs twice at once, and the activity written before the kill is kept.
    [SkippableFact]
    public async Task Killing_one_instance_mid_provision_leaves_its_work_to_the_other()
    {
        Skip.If(servers.Count < 2, why);
        var names = Enumerable.Range(1, 4).Select(i => $"kill-{i}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            using var created = await (i % 2 == 0 ? First : Second).Client.CreateAsync(names[i], $"victim-{i}");
            await created.AssertAcceptedAsync(names[i]);
        }

        // Kill the first instance once a helm install is running anywhere (both instances' orchestrations share the hub).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!First.FakeCli.Calls().Any(c => c.Tool == "helm" && c.Argv[0] == "upgrade"))
        {
            Assert.True(DateTime.UtcNow < deadline, "no install reached helm");
            await Task.Delay(100);
        }

        var before = await Second.Client.ActivityAsync();
        await First.CrashAsync();
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0; // the fakes' clock: seconds since the epoch

        foreach (var name in names)
        {
            var store = await Second.Client.WaitForStatusAsync(name, ApiCalls.Terminal, TimeSpan.FromSeconds(240));
            output.WriteLine($"{name}: {store}");
            Assert.True(store.GetProperty("status").GetString() == "READY", $"{name}: {store}");
        }

        var calls = Second.FakeCli.Calls();
        foreach (var name in names)
        {
            // A run the kill cut short has no end line: it was running until the kill (CrashAsync kills the dead server's CLIs).
            var installs = calls.Where(c => c.Tool == "helm" && c.Argv[0] == "upgrade" && c.Argv.Contains(name))
                .Select(c => (c.Start, End: c.End ?? killedAt))
                .ToList();
            Assert.True(Intervals.MaxOpenAtOnce(installs) <= 1, $"{name}: two helm installs ran at once");
        }

        var after = (await Second.Client.ActivityAsync()).Select(a => a.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(before, a => Assert.Contains(a.GetProperty("id").GetInt64(), after));

        // Every slot is given back. A store the kill cut short between READY and its release gives its slot back
        // only once its orchestration resumes on the other instance and the install step is redelivered (after the
        // queue's visibility timeout): READY comes first, so wait for the queue to drain rather than read it once.
        var drained = DateTime.UtcNow.AddSeconds(120);
        List<string> rows;
        while ((rows = await QueueRowsAsync()).Count > 0)
        {
            Assert.True(DateTime.UtcNow < drained, $"cluster slots still held after every store was READY: {string.Join(", ", rows)}");
            await Task.Delay(250);
        }
    }

    private async Task<List<string>> QueueRowsAsync()
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(databaseConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT store_name FROM cluster_slots", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}

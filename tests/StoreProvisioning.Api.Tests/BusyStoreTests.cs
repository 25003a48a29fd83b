using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>One operation per store: requests against a store that is PROVISIONING or DELETING are refused (409/400).</summary>
public sealed class BusyStoreTests(BusyServer fixture) : IClassFixture<BusyServer>
{
    private readonly HttpClient client = fixture.Client;
    private readonly TestServerProcess server = fixture.Server;

    [Fact]
    // Proves upgrade/rollback/delete are 409 and retry is 400 while a store is PROVISIONING or DELETING, and nothing extra runs.
    public async Task Busy_stores_refuse_other_operations()
    {
        // A READY store whose uninstall will hang, so it stays DELETING.
        using (var created = await client.CreateAsync("busy-deleting", "busy-user-1"))
        {
            await created.AssertAcceptedAsync("busy-deleting");
        }

        await client.WaitForStatusAsync("busy-deleting", "READY");

        // A store whose install hangs, so it stays PROVISIONING.
        server.FakeCli.SetBehaviour("busy-installing", "upgrade:hang");
        using (var created = await client.CreateAsync("busy-installing", "busy-user-2"))
        {
            await created.AssertAcceptedAsync("busy-installing");
        }

        await client.WaitForStatusAsync("busy-installing", "PROVISIONING");

        server.FakeCli.SetBehaviour("busy-deleting", "uninstall:hang");
        using (var delete = await client.DeleteAsync("/api/stores/busy-deleting"))
        {
            Assert.Equal("DELETING", (await delete.AssertAcceptedAsync("busy-deleting")).GetProperty("status").GetString());
        }

        // Both hanging helm runs have started: from here on nothing may start for these stores.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(Started("upgrade", "busy-installing") && Started("uninstall", "busy-deleting")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the hanging helm runs did not start");
            await Task.Delay(200);
        }

        foreach (var name in new[] { "busy-installing", "busy-deleting" })
        {
            var installs = Mutations(name);
            using (var upgrade = await client.PostAsync($"/api/stores/{name}/upgrade", null))
            {
                await upgrade.AssertProblemAsync(HttpStatusCode.Conflict, name);
            }

            using (var rollback = await client.PostAsync($"/api/stores/{name}/rollback", ApiCalls.Json("""{"revision":1}""")))
            {
                Assert.True(rollback.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{name}: {(int)rollback.StatusCode}");
                await rollback.AssertClientErrorProblemAsync(name);
            }

            using (var delete = await client.DeleteAsync($"/api/stores/{name}"))
            {
                await delete.AssertProblemAsync(HttpStatusCode.Conflict, name);
            }

            using (var retry = await client.PostAsync($"/api/stores/{name}/retry", null))
            {
                await retry.AssertProblemAsync(HttpStatusCode.BadRequest, name);
            }

            await Task.Delay(300);
            Assert.Equal(installs, Mutations(name));
        }

        Assert.Equal("PROVISIONING", (await client.GetJsonAsync("/api/stores/busy-installing")).GetProperty("status").GetString());
        Assert.Equal("DELETING", (await client.GetJsonAsync("/api/stores/busy-deleting")).GetProperty("status").GetString());
    }

    private bool Started(string command, string release) =>
        server.FakeCli.Calls().Any(c => c.Tool == "helm" && c.Argv.Length > 1 && c.Argv[0] == command && c.Argv.Contains(release));

    // helm runs that change the release: none may start for a refused request.
    private int Mutations(string name) => server.FakeCli.Calls().Count(c =>
        c.Tool == "helm" && c.Argv.Length > 1 && c.Argv[0] is "upgrade" or "rollback" or "uninstall" && c.Argv.Contains(name));
}

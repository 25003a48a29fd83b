using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>Every store has an owner: a user sees and acts only on their own; operators and admins on all.</summary>
public sealed class OwnershipTests(OwnershipTests.Server fixture) : IClassFixture<OwnershipTests.Server>
{
    public sealed class Server : ServerFixture;

    private TestServerProcess server => fixture.Server;

    [Fact]
    // Proves user A gets 404 for everything about B's store (read, upgrade, rollback, retry, delete), B's store and the audit log stay unchanged, and A's list and activity never show it.
    public async Task A_user_cannot_see_or_touch_another_users_store()
    {
        using var alice = await server.ClientForAsync("own-alice");
        using var bob = await server.ClientForAsync("own-bob");
        using (var created = await bob.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "own-bobs" })))
        {
            Assert.Equal("own-bob", (await created.AssertAcceptedAsync("own-bobs")).GetProperty("userId").GetString());
        }

        var before = await bob.WaitForStatusAsync("own-bobs", "READY");
        var auditBefore = (await server.Client.ActivityAsync("own-bobs")).Count;

        using (var get = await alice.GetAsync("/api/stores/own-bobs"))
        {
            await get.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        foreach (var (method, path) in new[] { ("DELETE", "/api/stores/own-bobs"), ("POST", "/api/stores/own-bobs/upgrade"), ("POST", "/api/stores/own-bobs/rollback"), ("POST", "/api/stores/own-bobs/retry") })
        {
            using var response = await alice.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            await response.AssertProblemAsync(HttpStatusCode.NotFound, $"{method} {path} as another user");
        }

        var after = await bob.GetJsonAsync("/api/stores/own-bobs");
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(auditBefore, (await server.Client.ActivityAsync("own-bobs")).Count);

        Assert.DoesNotContain((await alice.GetJsonAsync("/api/stores")).EnumerateArray(), s => s.GetProperty("name").GetString() == "own-bobs");
        Assert.Empty((await alice.GetJsonAsync("/api/stores?userId=own-bob")).EnumerateArray());
        Assert.Empty((await alice.GetJsonAsync("/api/stores/activity?store=own-bobs")).EnumerateArray());
        Assert.Equal(0, (await alice.GetJsonAsync("/api/stores/metrics")).GetProperty("totalStores").GetInt32());
        Assert.Equal(1, (await bob.GetJsonAsync("/api/stores/metrics")).GetProperty("totalStores").GetInt32());
    }

    [Fact]
    // Proves a user creates only for themself: another userId is 403 and creates nothing; no userId or their own one makes them the owner.
    public async Task A_user_cannot_create_for_someone_else()
    {
        using var carol = await server.ClientForAsync("own-carol");
        using (var forDave = await carol.CreateAsync("own-for-dave", "own-dave"))
        {
            await forDave.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var check = await server.Client.GetAsync("/api/stores/own-for-dave"))
        {
            Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
        }

        using (var own = await carol.CreateAsync("own-carols", "own-carol"))
        {
            Assert.Equal("own-carol", (await own.AssertAcceptedAsync("own-carols")).GetProperty("userId").GetString());
        }

        using var implicitOwner = await carol.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "own-carols-2" }));
        Assert.Equal("own-carol", (await implicitOwner.AssertAcceptedAsync("own-carols-2")).GetProperty("userId").GetString());
    }

    [Fact]
    // Proves an operator sees every user's stores and activity, must name the owner when creating (400 without), and is recorded as the actor while the store belongs to the user.
    public async Task Operators_see_all_and_create_on_behalf_of_a_user()
    {
        using var erin = await server.ClientForAsync("own-erin");
        using (var created = await erin.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "own-erins" })))
        {
            await created.AssertAcceptedAsync("own-erins");
        }

        using var ops = await server.ClientForAsync("own-ops", "operator");
        using (var noOwner = await ops.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "own-ops-no-owner" })))
        {
            ApiCalls.AssertFieldError(await noOwner.AssertProblemAsync(HttpStatusCode.BadRequest), "userId");
        }

        using (var onBehalf = await ops.CreateAsync("own-for-frank", "own-frank"))
        {
            Assert.Equal("own-frank", (await onBehalf.AssertAcceptedAsync("own-for-frank")).GetProperty("userId").GetString());
        }

        var names = (await ops.GetJsonAsync("/api/stores")).EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Contains("own-erins", names);
        Assert.Contains("own-for-frank", names);
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/api/stores/own-erins")).StatusCode);

        var request = Assert.Single(await ops.ActivityAsync("own-for-frank"), a => a.GetProperty("action").GetString() == "create.requested");
        Assert.Equal("own-frank", request.GetProperty("userId").GetString());
        Assert.Equal("own-ops", request.GetProperty("actor").GetString());

        using var frank = await server.ClientForAsync("own-frank");
        await frank.WaitForStatusAsync("own-for-frank", ApiCalls.Terminal);
        var franks = await frank.ActivityAsync();
        Assert.NotEmpty(franks);
        Assert.All(franks, a =>
        {
            Assert.Equal("own-frank", a.GetProperty("userId").GetString());
            Assert.False(string.IsNullOrEmpty(a.GetProperty("actor").GetString()), "every audit row names its actor");
        });

        await ops.WaitForStatusAsync("own-erins", ApiCalls.Terminal);
        using (var delete = await ops.DeleteAsync("/api/stores/own-erins"))
        {
            await delete.AssertAcceptedAsync("own-erins");
        }

        Assert.Contains(await ops.ActivityAsync("own-erins"), a => a.GetProperty("action").GetString() == "delete.requested" && a.GetProperty("actor").GetString() == "own-ops");
    }
}

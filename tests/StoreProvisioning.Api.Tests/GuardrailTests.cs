using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>The guardrails hold under parallel load: the check and the insert are one transaction.</summary>
public sealed class GuardrailTests(GuardrailServer fixture) : IClassFixture<GuardrailServer>
{
    private readonly HttpClient client = fixture.Client;

    [Fact]
    // Proves 20 parallel creates for one user admit exactly MAX_STORES_PER_USER (3); the rest are 403 problems.
    public async Task Parallel_creates_for_one_user_admit_exactly_the_limit()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => client.CreateAsync($"guard-user-{i:00}", "guard-racer")));
        try
        {
            Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
            {
                await refused.AssertProblemAsync(HttpStatusCode.Forbidden);
            }

            var owned = (await client.GetJsonAsync("/api/stores?userId=guard-racer")).EnumerateArray().ToList();
            Assert.Equal(3, owned.Count);
            var created = (await client.ActivityAsync(limit: 500)).Count(a => a.GetProperty("action").GetString() == "create.requested" && a.GetProperty("userId").GetString() == "guard-racer");
            Assert.Equal(3, created);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    // Proves 20 parallel creates of one name (by different users) admit exactly one; the rest are 400 problems on storeName.
    public async Task Parallel_creates_of_one_name_admit_exactly_one()
    {
        var responses = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => client.CreateAsync("guard-same-name", $"guard-namer-{i}")));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
            {
                ApiCalls.AssertFieldError(await refused.AssertProblemAsync(HttpStatusCode.BadRequest), "storeName");
            }

            Assert.Single((await client.GetJsonAsync("/api/stores")).EnumerateArray(), s => s.GetProperty("name").GetString() == "guard-same-name");
            Assert.Single(await client.ActivityAsync("guard-same-name"), a => a.GetProperty("action").GetString() == "create.requested");
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    // Proves 10 parallel upgrades of one READY store start exactly one operation; the others are 409 problems.
    public async Task Parallel_upgrades_of_one_store_start_exactly_one()
    {
        using (var created = await client.CreateAsync("guard-upgrade", "guard-upgrader"))
        {
            await created.AssertAcceptedAsync("guard-upgrade");
        }

        await client.WaitForStatusAsync("guard-upgrade", "READY");
        var responses = await Task.WhenAll(Enumerable.Range(1, 10).Select(_ => client.PostAsync("/api/stores/guard-upgrade/upgrade", null)));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Accepted))
            {
                await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            }

            var store = await client.WaitForStatusAsync("guard-upgrade", "READY");
            Assert.Equal(2, store.GetProperty("revision").GetInt32());
            Assert.Single(await client.ActivityAsync("guard-upgrade"), a => a.GetProperty("action").GetString() == "upgrade.requested");
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }
}

using System.Net;
using StoreProvisioning.Api.Tests.Infrastructure;
using Xunit;

namespace StoreProvisioning.Api.Tests;

/// <summary>RATE_LIMIT_WRITES_PER_MINUTE=3 for users; admins are not limited.</summary>
public sealed class RateLimitTests(RateLimitTests.Server fixture) : IClassFixture<RateLimitTests.Server>
{
    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["RATE_LIMIT_WRITES_PER_MINUTE"] = "3" };
    }

    [Fact]
    // Proves every write of a user counts (refused ones too): the fourth within a minute is 429 problem+json with Retry-After and changes nothing; reads go on; an admin is not limited.
    public async Task The_write_after_the_limit_is_429_and_changes_nothing()
    {
        using var user = await fixture.Server.ClientForAsync("limited-user");
        using (var invalid = await user.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "X!" })))
        {
            await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        using (var missing = await user.PostAsync("/api/stores/rate-nothing/retry", null))
        {
            await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        using (var created = await user.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "rate-one" })))
        {
            await created.AssertAcceptedAsync("rate-one");
        }

        using var limited = await user.PostAsync("/api/stores", ApiCalls.Json(new { storeName = "rate-two" }));
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 60);

        using (var check = await fixture.Server.Client.GetAsync("/api/stores/rate-two"))
        {
            Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/stores")).StatusCode);

        for (var i = 0; i < 6; i++)
        {
            using var admin = await fixture.Server.Client.PostAsync("/api/stores/rate-nothing/retry", null);
            await admin.AssertProblemAsync(HttpStatusCode.NotFound);
        }
    }
}

/// <summary>MAX_STORES_TOTAL=4 across users.</summary>
public sealed class TotalLimitTests(TotalLimitTests.Server fixture) : IClassFixture<TotalLimitTests.Server>
{
    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["MAX_STORES_TOTAL"] = "4", ["MAX_STORES_PER_USER"] = "3" };
    }

    [Fact]
    // Proves the total cap: with 4 stores the next create (by any user) is 403 with its own problem type, not the per-user one, and creates nothing.
    public async Task Creates_past_the_total_limit_are_403_with_their_own_type()
    {
        var client = fixture.Server.Client;
        foreach (var (name, user) in new[] { ("total-a1", "total-a"), ("total-a2", "total-a"), ("total-b1", "total-b"), ("total-c1", "total-c") })
        {
            using var created = await client.CreateAsync(name, user);
            await created.AssertAcceptedAsync(name);
        }

        using var perUser = await client.CreateAsync("total-a3", "total-a");
        using var full = await client.CreateAsync("total-d1", "total-d");
        var problem = await full.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("urn:store-provisioning:problem:total-store-limit", problem.GetProperty("type").GetString());
        Assert.Contains("MAX_STORES_TOTAL", problem.GetProperty("detail").GetString());
        Assert.Equal(4, (await client.GetJsonAsync("/api/stores")).GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, perUser.StatusCode);
    }
}

/// <summary>One user racing themself, with MAX_STORES_PER_USER=3 (writes not rate-limited below 20).</summary>
public sealed class UserRaceTests(UserRaceTests.Server fixture) : IClassFixture<UserRaceTests.Server>
{
    public sealed class Server : ServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["MAX_STORES_PER_USER"] = "3",
            ["FAKE_HELM_DELAY_SECONDS"] = "1",
        };
    }

    [Fact]
    // Proves 20 parallel creates by one signed-in user (owner from the key, not the body) yield exactly MAX_STORES_PER_USER stores, the rest 403.
    public async Task Twenty_parallel_creates_by_one_user_yield_exactly_the_limit()
    {
        using var user = await fixture.Server.ClientForAsync("racer");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => user.PostAsync("/api/stores", ApiCalls.Json(new { storeName = $"race-{i:00}" }))));
        try
        {
            Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
            Assert.Equal(17, responses.Count(r => r.StatusCode == HttpStatusCode.Forbidden));
            Assert.Equal(3, (await user.GetJsonAsync("/api/stores")).GetArrayLength());
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

/// <summary>Write bodies must be JSON.</summary>
public sealed class ContentTypeTests(DefaultServer fixture) : IClassFixture<DefaultServer>
{
    [Theory]
    [InlineData("/api/stores", "text/plain", "storeName=ct-one")]
    [InlineData("/api/keys", "application/x-www-form-urlencoded", "userId=a&role=admin")]
    [InlineData("/api/stores/ct-none/retry", "text/plain", "")]
    // Proves a write whose body is not application/json is 415 problem+json (even an empty one that says it is something else), and nothing is created.
    public async Task Non_json_writes_are_415(string path, string contentType, string body)
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = ApiCalls.MediaType(contentType);
        using var response = await fixture.Client.PostAsync(path, content);
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Empty((await fixture.Client.GetJsonAsync("/api/stores?userId=a")).EnumerateArray());
    }
}

using StoreProvisioning.Functions.Api;
using StoreProvisioning.TestServer;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// The routes of the build's functions.metadata under the Functions host's precedence (first function by name whose
/// template and method match wins): every function is reachable at every path its template accepts, so a new endpoint
/// that another function shadows fails here, not in production.
/// </summary>
public sealed class RoutePrecedenceTests
{
    // Every HTTP function and method, probed with every literal word of the API and the reserved names as parameter
    // values, reaches its own function.
    [Fact]
    public async Task Every_route_of_the_build_reaches_its_own_function_in_host_order()
    {
        var routes = BuildMetadata.HttpRoutes();
        Assert.Contains(routes, r => r.FunctionName == "ListActivity");

        var shadowed = await RoutePrecedence.FindShadowingAsync(routes);

        Assert.True(shadowed.Count == 0, "Shadowed under the host's route order:\n" + string.Join("\n", shadowed));
    }

    // The catch-all takes every path, so it must be tried last: its name sorts after every other HTTP function.
    [Fact]
    public void The_catch_all_sorts_after_every_other_function()
    {
        var order = new HostOrderRouter(BuildMetadata.HttpRoutes()).Functions;

        Assert.True(RoutePrecedence.IsCatchAll(order[^1]), $"The last function in host order is {order[^1].FunctionName}, not the catch-all.");
        Assert.Single(order, RoutePrecedence.IsCatchAll);
        Assert.StartsWith(FunctionRoutes.LastInHostOrder, order[^1].FunctionName, StringComparison.Ordinal);
    }

    // "Z_" sorts after any name a function can have (a letter, then letters, digits, '-' or '_'), unless it starts with "Z_" too.
    [Theory]
    [InlineData("Zzzz")]
    [InlineData("ZZ_Last")]
    [InlineData("Z-Fallback")]
    [InlineData("z9")]
    [InlineData("Z")]
    public void The_catch_all_prefix_sorts_after_any_other_name(string other)
    {
        Assert.True(StringComparer.OrdinalIgnoreCase.Compare(FunctionRoutes.LastInHostOrder + "Fallback", other) > 0);
    }

    // The API as it was (issue #14): the catch-all "Fallback" and GET stores/{name} shadowed health, the store list,
    // metrics and activity under the host. The check finds exactly those, so it would have caught the bug.
    [Fact]
    public async Task The_routes_before_the_fix_are_caught()
    {
        string[] any = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        FunctionRoute[] before =
        [
            new("CreateStore", "stores", ["POST"]),
            new("DeleteStore", "stores/{name}", ["DELETE"]),
            new("Fallback", "{*path}", any),
            new("GetMetrics", "stores/metrics", ["GET"]),
            new("GetStore", "stores/{name}", ["GET"]),
            new("Health", "health", ["GET"]),
            new("ListActivity", "stores/activity", ["GET"]),
            new("ListStores", "stores", ["GET"]),
            new("RetryStore", "stores/{name}/retry", ["POST"]),
            new("RollbackStore", "stores/{name}/rollback", ["POST"]),
            new("UpgradeStore", "stores/{name}/upgrade", ["POST"]),
        ];

        var shadowed = (await RoutePrecedence.FindShadowingAsync(before)).Select(s => s.ToString()).ToList();

        Assert.Contains("GET /api/health: Health takes it but the host gives it to Fallback", shadowed);
        Assert.Contains("GET /api/stores: ListStores takes it but the host gives it to Fallback", shadowed);
        Assert.Contains("GET /api/stores/activity: ListActivity takes it but the host gives it to Fallback", shadowed);
        Assert.Contains("GET /api/stores/probe-store: GetStore takes it but the host gives it to Fallback", shadowed);
        Assert.DoesNotContain(shadowed, s => s.StartsWith("POST /api/stores:", StringComparison.Ordinal)); // CreateStore sorts before Fallback

        // Renaming only the catch-all still leaves GET stores/{name} in front of stores/activity (the second
        // finding), and stores/{name} overlapping stores/metrics works only because of the names' order.
        var renamed = before.Select(r => r.FunctionName == "Fallback" ? r with { FunctionName = "Z_Fallback" } : r).ToArray();
        var stillShadowed = (await RoutePrecedence.FindShadowingAsync(renamed)).Select(s => s.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "GET /api/stores/activity: ListActivity takes it but the host gives it to GetStore",
                "GET /api/stores/metrics: GetStore takes it but the host gives it to GetMetrics",
            ],
            stillShadowed);
    }
}

using StoreProvisioning.Functions.Api;
using StoreProvisioning.TestServer;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// The test server's router behaves like the Functions host's: name order, first template + method match wins, no
/// specificity ranking. These pin the behaviours that ASP.NET Core endpoint routing would get "right" and the host does not.
/// </summary>
public sealed class HostOrderRouterTests
{
    private static readonly string[] Any = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    // A catch-all that sorts first takes every request, literal routes included.
    [Theory]
    [InlineData("GET", "/api/health")]
    [InlineData("GET", "/api/stores/shop")]
    [InlineData("DELETE", "/api/stores/shop")]
    [InlineData("GET", "/api/anything/else")]
    public async Task A_catch_all_named_to_sort_first_shadows_everything(string method, string path)
    {
        var router = new HostOrderRouter(
        [
            new("Health", "health", ["GET"]),
            new("GetStore", "stores/{name}", ["GET"]),
            new("DeleteStore", "stores/{name}", ["DELETE"]),
            new("AaaCatchAll", "{*path}", Any),
        ]);

        var match = await router.MatchAsync(method, path);

        Assert.Equal("AaaCatchAll", match?.Function.FunctionName);
    }

    // Order is the function name, ignoring case; a parameter that sorts before a literal route wins its path.
    [Fact]
    public async Task A_parameter_route_that_sorts_first_beats_a_literal_one()
    {
        var router = new HostOrderRouter(
        [
            new("ListActivity", "stores/activity", ["GET"]),
            new("getStore", "stores/{name}", ["GET"]),
        ]);

        var match = await router.MatchAsync("GET", "/api/stores/activity");

        Assert.Equal(["getStore", "ListActivity"], router.Functions.Select(f => f.FunctionName));
        Assert.Equal("getStore", match?.Function.FunctionName);
        Assert.Equal("activity", match?.Values["name"]);
    }

    // The method is part of the match: a route with the right template but another method is skipped, and the route
    // values are bound from the template of the function that matched. No function at all: null (the host's 404).
    [Fact]
    public async Task Methods_are_matched_and_route_values_bound()
    {
        var router = new HostOrderRouter(
        [
            new("A", "stores/{name}", ["GET"]),
            new("B", "stores/{store}/upgrade", ["POST"]),
            new("C", "stores/{name}", ["DELETE"]),
        ]);

        var delete = await router.MatchAsync("delete", "/api/stores/shop");
        var upgrade = await router.MatchAsync("POST", "/API/Stores/shop/UPGRADE/");

        Assert.Equal("C", delete?.Function.FunctionName);
        Assert.Equal("shop", delete?.Values["name"]);
        Assert.Equal("B", upgrade?.Function.FunctionName);
        Assert.Equal("shop", upgrade?.Values["store"]);
        Assert.Null(await router.MatchAsync("PUT", "/api/stores/shop"));
        Assert.Null(await router.MatchAsync("GET", "/stores/shop"));
        Assert.Null(await router.MatchAsync("GET", "/api/stores/shop/more"));
    }

    // The app's store-name constraint, parsed by the same TemplateParser and inline constraint resolver as the host's
    // routes: it refuses exactly the reserved names (any case), and lets every other value through, invalid ones
    // included, so GetStore still answers them with 400 "Invalid store name".
    [Fact]
    public async Task The_store_name_constraint_refuses_exactly_the_reserved_names()
    {
        var router = new HostOrderRouter(
        [
            new("GetStore", "stores/" + FunctionRoutes.StoreName, ["GET"]),
            new("ListActivity", "stores/activity", ["GET"]),
        ]);

        foreach (var reserved in StoreRules.ReservedNames)
        {
            Assert.NotEqual("GetStore", (await router.MatchAsync("GET", "/api/stores/" + reserved))?.Function.FunctionName);
            Assert.NotEqual("GetStore", (await router.MatchAsync("GET", "/api/stores/" + reserved.ToUpperInvariant()))?.Function.FunctionName);
        }

        Assert.Equal("ListActivity", (await router.MatchAsync("GET", "/api/stores/Activity"))?.Function.FunctionName);
        foreach (var other in new[] { "shop", "metrics2", "my-activity", "activityx", "Bad_Name!", "a" })
        {
            var match = await router.MatchAsync("GET", "/api/stores/" + Uri.EscapeDataString(other));
            Assert.Equal("GetStore", match?.Function.FunctionName);
            Assert.Equal(other, match?.Values["name"]);
        }
    }
}

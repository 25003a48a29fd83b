using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Extensions.DependencyInjection;

namespace StoreProvisioning.TestServer;

/// <summary>An HTTP function's route as the host registers it: name, template (without the "api" prefix) and methods (null: any).</summary>
public sealed record FunctionRoute(string FunctionName, string Template, IReadOnlyList<string>? Methods);

/// <summary>The function a request reached and the route values bound from its template.</summary>
public sealed record FunctionMatch(FunctionRoute Function, RouteValueDictionary Values);

/// <summary>
/// Routes requests the way the Azure Functions host does, not the way ASP.NET Core endpoint routing does: functions
/// in name order (ordinal, ignore case, as FunctionMetadataManager sorts them), each registered as a legacy
/// <see cref="Route"/> (TemplateParser, inline constraints from the default resolver, an HttpMethodRouteConstraint)
/// in one <see cref="RouteCollection"/>, where the first template + method match wins. A literal segment does not beat
/// a parameter and a catch-all takes every path after it (Azure/azure-functions-host#3153). Used by the test server
/// for every request and by the routing tests to evaluate functions.metadata.
/// </summary>
public sealed class HostOrderRouter
{
    private const string FunctionNameToken = "function";
    private static readonly IServiceProvider RoutingServices = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();

    private readonly RouteCollection routes = new();

    public HostOrderRouter(IEnumerable<FunctionRoute> functions, string routePrefix = "api")
    {
        Functions = functions.OrderBy(f => f.FunctionName, StringComparer.OrdinalIgnoreCase).ToList();
        var resolver = RoutingServices.GetRequiredService<IInlineConstraintResolver>();
        foreach (var function in Functions)
        {
            var constraints = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (function.Methods is { Count: > 0 } methods)
            {
                constraints["httpMethod"] = new HttpMethodRouteConstraint(methods.ToArray());
            }

            routes.Add(new Route(
                new FunctionTarget(),
                function.FunctionName,
                (routePrefix + "/" + function.Template.TrimStart('/')).TrimStart('/'),
                defaults: null,
                constraints,
                dataTokens: new RouteValueDictionary { [FunctionNameToken] = function },
                resolver));
        }
    }

    /// <summary>The functions in the order the host tries them.</summary>
    public IReadOnlyList<FunctionRoute> Functions { get; }

    /// <summary>The first function, in host order, whose template, constraints and method match the request; null when none does.</summary>
    public async Task<FunctionMatch?> MatchAsync(HttpContext context)
    {
        var routeContext = new RouteContext(context);
        routeContext.RouteData.Routers.Add(routes);
        await routes.RouteAsync(routeContext);
        return routeContext.Handler is null
            ? null
            : new FunctionMatch((FunctionRoute)routeContext.RouteData.DataTokens[FunctionNameToken]!, routeContext.RouteData.Values);
    }

    /// <summary>The same for a bare method and path (for tests and the metadata check).</summary>
    public Task<FunctionMatch?> MatchAsync(string method, string path)
    {
        var context = new DefaultHttpContext { RequestServices = RoutingServices };
        context.Request.Method = method;
        context.Request.Path = path;
        return MatchAsync(context);
    }

    // A Route calls its target only after the template and every constraint matched; the target just claims the request.
    private sealed class FunctionTarget : IRouter
    {
        public VirtualPathData? GetVirtualPath(VirtualPathContext context) => null;

        public Task RouteAsync(RouteContext context)
        {
            context.Handler = _ => Task.CompletedTask;
            return Task.CompletedTask;
        }
    }
}

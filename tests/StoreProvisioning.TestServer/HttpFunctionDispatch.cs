using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using StoreProvisioning.Functions.Identity;

namespace StoreProvisioning.TestServer;

/// <summary>
/// Serves every HTTP function of the app behind one dispatcher that routes like the Functions host
/// (<see cref="HostOrderRouter"/>): functions in name order, first template + method match wins. ASP.NET Core's
/// endpoint routing is deliberately not used: its specificity ranking (literal beats parameter) would hide shadowing
/// that the host does not forgive. No match at all is an empty 404, as from the host; ProblemResponses words it.
/// </summary>
public static class HttpFunctionDispatch
{
    public static IReadOnlyList<HttpFunction> RunHttpFunctions(this IApplicationBuilder app, System.Reflection.Assembly functionsAssembly)
    {
        var functions = FunctionCatalog.HttpFunctions(functionsAssembly);
        if (functions.Count == 0)
        {
            throw new InvalidOperationException($"No [Function] method with an [HttpTrigger] parameter was found in {functionsAssembly.GetName().Name}.");
        }

        var invokers = functions.ToDictionary(f => f.Name, f => (Function: f, Invoker: new FunctionInvoker(f.Type, f.Method)), StringComparer.Ordinal);
        var router = new HostOrderRouter(functions.Select(f => f.ToRoute()));
        app.Run(async context =>
        {
            var match = await router.MatchAsync(context);
            if (match is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Request.RouteValues = match.Values;
            var (function, invoker) = invokers[match.Function.FunctionName];
            await InvokeAsync(function, invoker, context);
        });

        return functions;
    }

    /// <summary>
    /// As the worker does: the app's worker middleware (<see cref="WorkerMiddleware.Pipeline"/>, e.g. authentication)
    /// runs around the function with a real FunctionContext; a middleware may answer the request itself instead.
    /// Then the function's return value is written, as the ASP.NET Core integration's proxying middleware does.
    /// </summary>
    private static async Task InvokeAsync(HttpFunction function, FunctionInvoker invoker, HttpContext context)
    {
        using var span = InvocationSpan.Start(function.Name, context.Request);
        object? returned = null;
        await WorkerMiddleware.RunAsync(
            new TestFunctionContext(function, context),
            async _ => returned = await invoker.InvokeAsync(new Invocation(context.RequestServices, context.RequestAborted, context)));
        switch (returned)
        {
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult result:
                await result.ExecuteAsync(context);
                break;
            case null:
                break;
            default:
                // The worker serialises any other return value as JSON with status 200.
                await Results.Json(returned).ExecuteAsync(context);
                break;
        }
    }
}

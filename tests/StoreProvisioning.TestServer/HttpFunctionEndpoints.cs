using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using StoreProvisioning.Functions.Identity;

namespace StoreProvisioning.TestServer;

/// <summary>
/// Maps every HTTP function of the app to a Kestrel endpoint with the verbs and route of its [HttpTrigger] attribute.
/// Routing itself is ASP.NET Core's, as it is in the Functions host: literal segments (stores/metrics) win over
/// parameters (stores/{name}), and a known path with an unmapped verb is a 405.
/// </summary>
public static class HttpFunctionEndpoints
{
    public static IReadOnlyList<HttpFunction> MapHttpFunctions(this IEndpointRouteBuilder endpoints, System.Reflection.Assembly functionsAssembly)
    {
        var functions = FunctionCatalog.HttpFunctions(functionsAssembly);
        if (functions.Count == 0)
        {
            throw new InvalidOperationException($"No [Function] method with an [HttpTrigger] parameter was found in {functionsAssembly.GetName().Name}.");
        }

        foreach (var function in functions)
        {
            var invoker = new FunctionInvoker(function.Type, function.Method);
            RequestDelegate handler = context => InvokeAsync(function, invoker, context);
            var builder = function.HttpMethods is null
                ? endpoints.Map(function.Pattern, handler)
                : endpoints.MapMethods(function.Pattern, function.HttpMethods, handler);
            builder.WithName(function.Name).WithDisplayName($"{function.Name} ({string.Join(",", function.HttpMethods ?? ["*"])} /{function.Pattern})");
        }

        return functions;
    }

    /// <summary>
    /// As the worker does: the app's worker middleware (<see cref="WorkerMiddleware.Pipeline"/>, e.g. authentication)
    /// runs around the function with a real FunctionContext; a middleware may answer the request itself instead.
    /// Then the function's return value is written, as the ASP.NET Core integration's proxying middleware does.
    /// </summary>
    private static async Task InvokeAsync(HttpFunction function, FunctionInvoker invoker, HttpContext context)
    {
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

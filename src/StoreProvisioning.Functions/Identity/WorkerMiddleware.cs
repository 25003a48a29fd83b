using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// The app's worker middleware, in the order it runs: registered once here and used by both Program.cs (the Functions
/// worker) and the test server, which runs this same list around each function it invokes.
/// </summary>
public static class WorkerMiddleware
{
    public static readonly IReadOnlyList<Type> Pipeline = [typeof(CallerAuthenticationMiddleware)];

    /// <summary>Registers each middleware as a singleton service (as UseMiddleware&lt;T&gt; does).</summary>
    public static IServiceCollection AddWorkerMiddleware(this IServiceCollection services)
    {
        foreach (var type in Pipeline)
        {
            services.AddSingleton(type);
        }

        return services;
    }

    /// <summary>Adds <see cref="Pipeline"/> to the Functions worker, after its own HTTP middleware.</summary>
    public static IFunctionsWorkerApplicationBuilder UseStoreProvisioningMiddleware(this IFunctionsWorkerApplicationBuilder builder)
    {
        foreach (var type in Pipeline)
        {
            builder.Use(next => context => Resolve(context.InstanceServices, type).Invoke(context, next));
        }

        return builder;
    }

    /// <summary>Runs <see cref="Pipeline"/> around <paramref name="function"/>, as the worker does.</summary>
    public static Task RunAsync(FunctionContext context, FunctionExecutionDelegate function)
    {
        var pipeline = function;
        foreach (var type in Pipeline.Reverse())
        {
            var next = pipeline;
            pipeline = c => Resolve(c.InstanceServices, type).Invoke(c, next);
        }

        return pipeline(context);
    }

    private static IFunctionsWorkerMiddleware Resolve(IServiceProvider services, Type type) =>
        (IFunctionsWorkerMiddleware)services.GetRequiredService(type);
}

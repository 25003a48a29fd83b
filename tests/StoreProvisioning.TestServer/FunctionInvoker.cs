using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace StoreProvisioning.TestServer;

/// <summary>What one invocation can bind from: the HTTP request (if any), the services and the cancellation token.</summary>
public sealed record Invocation(IServiceProvider Services, CancellationToken CancellationToken, HttpContext? Http = null);

/// <summary>
/// Calls one function method as the isolated worker would: a fresh instance of its class per invocation, created
/// with <see cref="ActivatorUtilities"/> from the app's services, and each parameter bound by its trigger or binding
/// attribute. The binding plan is built once, at startup, so an unsupported parameter fails the server's start and
/// not a request.
/// </summary>
public sealed class FunctionInvoker
{
    private readonly Type type;
    private readonly MethodInfo method;
    private readonly Func<Invocation, object?>[] binders;
    private readonly ObjectFactory? factory;

    public FunctionInvoker(Type type, MethodInfo method)
    {
        this.type = type;
        this.method = method;
        binders = method.GetParameters().Select(BinderFor).ToArray();
        factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
    }

    public string Describe => $"{type.FullName}.{method.Name}";

    /// <summary>Runs the function and returns what its (awaited) return value is, or null for void / Task.</summary>
    public async Task<object?> InvokeAsync(Invocation invocation)
    {
        var target = factory?.Invoke(invocation.Services, null);
        try
        {
            var arguments = binders.Select(b => b(invocation)).ToArray();
            object? returned;
            try
            {
                returned = method.Invoke(target, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }

            return await UnwrapAsync(returned).ConfigureAwait(false);
        }
        finally
        {
            switch (target)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case null:
                return null;
            case Task task:
                await task.ConfigureAwait(false);
                var taskType = task.GetType();
                // Task<T> exposes Result; a plain Task's runtime type may be Task<VoidTaskResult>, which is not public.
                return taskType.IsGenericType && taskType.GetGenericArguments()[0].IsVisible
                    ? taskType.GetProperty("Result")!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                var type = returned.GetType();
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                    return await UnwrapAsync(asTask).ConfigureAwait(false);
                }

                return returned;
        }
    }

    private Func<Invocation, object?> BinderFor(ParameterInfo parameter)
    {
        var parameterType = parameter.ParameterType;
        if (parameterType == typeof(CancellationToken))
        {
            return i => i.CancellationToken;
        }

        if (parameter.GetCustomAttribute<DurableClientAttribute>() is not null || parameterType == typeof(DurableTaskClient))
        {
            return i => i.Services.GetRequiredService<DurableTaskClient>();
        }

        if (parameterType == typeof(HttpRequest))
        {
            return i => (i.Http ?? throw new InvalidOperationException("No HTTP request to bind.")).Request;
        }

        if (parameterType == typeof(HttpContext))
        {
            return i => i.Http ?? throw new InvalidOperationException("No HTTP request to bind.");
        }

        if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is not null || parameterType == typeof(TimerInfo))
        {
            return _ => new TimerInfo();
        }

        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null)
        {
            throw new NotSupportedException(
                $"{Describe}: the HTTP trigger parameter '{parameter.Name}' is a {parameterType.Name}; the test server binds HttpRequest (ASP.NET Core integration).");
        }

        // Other parameters of an HTTP function bind to the route value of the same name, as in the Functions host.
        if (parameterType == typeof(string) || TypeDescriptor.GetConverter(parameterType).CanConvertFrom(typeof(string)))
        {
            var name = parameter.Name!;
            return i =>
            {
                var value = i.Http?.GetRouteValue(name)?.ToString();
                if (value is null || parameterType == typeof(string))
                {
                    return value ?? (parameter.HasDefaultValue ? parameter.DefaultValue : null);
                }

                return TypeDescriptor.GetConverter(parameterType).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            };
        }

        throw new NotSupportedException(
            $"{Describe}: cannot bind parameter '{parameter.Name}' of type {parameterType.FullName}. " +
            "Supported: HttpRequest, HttpContext, route values, [DurableClient] DurableTaskClient, TimerInfo, CancellationToken.");
    }
}

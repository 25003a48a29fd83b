using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Functions.Orchestration;

/// <summary>Whether a durable function is an orchestrator or an activity.</summary>
public enum DurableFunctionKind
{
    Orchestrator,
    Activity,
}

/// <summary>One [Function] method with an [OrchestrationTrigger] or [ActivityTrigger] parameter.</summary>
public sealed record DurableFunctionDescriptor(string Name, DurableFunctionKind Kind, MethodInfo Method);

/// <summary>
/// Registers the app's own [Function] orchestrators and activities with a Durable Task worker outside the Functions
/// host (DurableTaskTestHost, the test server), by reflection over the attributes the Functions SDK reads — so the
/// code that runs in tests is exactly the code `func` runs, under the same names.
/// Orchestrators must be static methods taking a <see cref="TaskOrchestrationContext"/>. Activities may be static or
/// instance methods; instance classes are created per call from the worker's service provider
/// (<see cref="ActivatorUtilities"/>, constructor injection as in the Functions worker). Activity parameters other than
/// the trigger: <see cref="CancellationToken"/> (none), <see cref="TaskActivityContext"/>, or a registered service.
/// </summary>
public static class DurableFunctionRegistry
{
    /// <summary>Every durable function in the assembly (default: the Functions app), sorted by name.</summary>
    public static IReadOnlyList<DurableFunctionDescriptor> Discover(Assembly? assembly = null) =>
        (assembly ?? typeof(DurableFunctionRegistry).Assembly)
            .GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(Describe)
            .OfType<DurableFunctionDescriptor>()
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>Adds every durable function of the assembly (default: the Functions app) to the registry.</summary>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, Assembly? assembly = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var function in Discover(assembly))
        {
            if (function.Kind == DurableFunctionKind.Orchestrator)
            {
                if (!function.Method.IsStatic || function.Method.GetParameters().Length != 1 || !typeof(Task).IsAssignableFrom(function.Method.ReturnType))
                {
                    throw new InvalidOperationException(
                        $"Orchestrator {function.Name} ({function.Method.DeclaringType?.Name}.{function.Method.Name}) must be a static method taking only a TaskOrchestrationContext and returning Task.");
                }

                var method = function.Method;
                Func<TaskOrchestrationContext, Task> run = context => (Task)Invoke(method, null, [new FunctionOrchestrationContext(context)])!;
                registry.AddOrchestratorFunc(function.Name, run);
            }
            else
            {
                var method = function.Method;
                registry.AddActivity(function.Name, services => new FunctionActivity(method, services));
            }
        }

        return registry;
    }

    private static DurableFunctionDescriptor? Describe(MethodInfo method)
    {
        if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
        {
            return null;
        }

        var parameters = method.GetParameters();
        if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
        {
            return new DurableFunctionDescriptor(function.Name, DurableFunctionKind.Orchestrator, method);
        }

        return parameters.Any(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
            ? new DurableFunctionDescriptor(function.Name, DurableFunctionKind.Activity, method)
            : null;
    }

    private static object? Invoke(MethodInfo method, object? target, object?[] arguments)
    {
        try
        {
            return method.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>
    /// The context a function orchestrator sees, as under the Functions worker: a func-registered orchestrator gets its
    /// input deserialized as <see cref="object"/> (a <see cref="JsonElement"/>), so <see cref="GetInput{T}"/> converts
    /// it to the type asked for. Everything else is the engine's own context.
    /// </summary>
    private sealed class FunctionOrchestrationContext(TaskOrchestrationContext inner) : TaskOrchestrationContext
    {
        private static readonly JsonSerializerOptions InputJson = new(JsonSerializerDefaults.Web);
        private static readonly PropertyInfo? InnerLoggerFactory =
            typeof(TaskOrchestrationContext).GetProperty("LoggerFactory", BindingFlags.Instance | BindingFlags.NonPublic);

        public override TaskName Name => inner.Name;

        public override string InstanceId => inner.InstanceId;

        public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

        public override bool IsReplaying => inner.IsReplaying;

        public override ParentOrchestrationInstance? Parent => inner.Parent;

        public override string Version => inner.Version;

        public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

        public override TaskOrchestrationEntityFeature Entities => inner.Entities;

        protected override ILoggerFactory LoggerFactory =>
            InnerLoggerFactory?.GetValue(inner) as ILoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

        public override T GetInput<T>() where T : default
        {
            var input = inner.GetInput<object>();
            return input switch
            {
                null => default!,
                T typed => typed,
                JsonElement json => json.Deserialize<T>(InputJson)!,
                _ => JsonSerializer.SerializeToElement(input, InputJson).Deserialize<T>(InputJson)!,
            };
        }

        public override Guid NewGuid() => inner.NewGuid();

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
            inner.CallActivityAsync<TResult>(name, input, options);

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
            inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
            inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

        public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

        public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
            inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    /// <summary>An [ActivityTrigger] method as a Durable Task activity.</summary>
    private sealed class FunctionActivity(MethodInfo method, IServiceProvider services) : ITaskActivity
    {
        private readonly ParameterInfo[] parameters = method.GetParameters();

        public Type InputType => parameters.First(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null).ParameterType;

        public Type OutputType =>
            method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? method.ReturnType.GetGenericArguments()[0]
                : method.ReturnType == typeof(Task) || method.ReturnType == typeof(void) ? typeof(object) : method.ReturnType;

        public async Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
            var arguments = parameters.Select(p =>
                p.GetCustomAttribute<ActivityTriggerAttribute>() is not null ? input
                : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : p.ParameterType == typeof(TaskActivityContext) ? context
                : services.GetRequiredService(p.ParameterType)).ToArray();

            var result = Invoke(method, target, arguments);
            if (result is not Task task)
            {
                return result;
            }

            await task.ConfigureAwait(false);
            return OutputType == typeof(object) && !method.ReturnType.IsGenericType
                ? null
                : typeof(Task<>).MakeGenericType(OutputType).GetProperty(nameof(Task<object>.Result))!.GetValue(task);
        }
    }
}

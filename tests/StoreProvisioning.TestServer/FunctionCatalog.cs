using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace StoreProvisioning.TestServer;

/// <summary>An HTTP-triggered function of the app: its method, the verbs it accepts and its route under /api.</summary>
public sealed record HttpFunction(string Name, Type Type, MethodInfo Method, IReadOnlyList<string>? HttpMethods, string Route)
{
    /// <summary>The route as the Functions host serves it: the default "api" prefix plus the attribute's template.</summary>
    public string Pattern => "api/" + Route.TrimStart('/');

    /// <summary>The route as the host registers it for <see cref="HostOrderRouter"/>.</summary>
    public FunctionRoute ToRoute() => new(Name, Route, HttpMethods);
}

/// <summary>A timer-triggered function of the app (the reconciler).</summary>
public sealed record TimerFunction(string Name, Type Type, MethodInfo Method, TimerTriggerAttribute Trigger);

/// <summary>
/// Reads the app's functions from its assembly the way the Functions SDK's metadata generator does: every method
/// with <see cref="FunctionAttribute"/>, classified by its trigger parameter. Nothing here lists routes by hand.
/// </summary>
public static class FunctionCatalog
{
    public static IEnumerable<(string Name, Type Type, MethodInfo Method)> Functions(Assembly assembly) =>
        from type in LoadableTypes(assembly)
        where type is { IsClass: true, IsAbstract: false } || type is { IsAbstract: true, IsSealed: true }
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        let function = method.GetCustomAttribute<FunctionAttribute>()
        where function is not null
        select (function.Name, type, method);

    public static IReadOnlyList<HttpFunction> HttpFunctions(Assembly assembly) =>
        (from f in Functions(assembly)
         let trigger = f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new HttpFunction(
             f.Name,
             f.Type,
             f.Method,
             trigger.Methods is { Length: > 0 } methods ? methods.Select(m => m.ToUpperInvariant()).ToArray() : null,
             // Without a Route the Functions host serves the function under its name.
             string.IsNullOrWhiteSpace(trigger.Route) ? f.Name : trigger.Route!))
        .ToList();

    public static IReadOnlyList<TimerFunction> TimerFunctions(Assembly assembly) =>
        (from f in Functions(assembly)
         let trigger = f.Method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new TimerFunction(f.Name, f.Type, f.Method, trigger))
        .ToList();

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}

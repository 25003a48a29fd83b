using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// Who may call one function: anyone, any verified caller, or only callers with one of some roles; with
/// <paramref name="ScrapeKey"/>, also a request carrying METRICS_SCRAPE_KEY.
/// </summary>
public sealed record FunctionRequirement(bool Anonymous, IReadOnlySet<Role>? Roles, bool ScrapeKey = false)
{
    public static readonly FunctionRequirement Authenticated = new(false, null);

    public bool Admits(Caller caller) => Roles is null || Roles.Contains(caller.Role);
}

/// <summary>
/// Each function's requirement, read once from the standard ASP.NET Core attributes on its method or class:
/// <c>[AllowAnonymous]</c>, <c>[Authorize(Roles = "operator,admin")]</c>, and the app's own <see cref="AllowScrapeKeyAttribute"/>. A function without either needs a
/// verified caller of any role; a function this catalog does not know needs one too.
/// </summary>
public sealed class FunctionAccess
{
    private readonly IReadOnlyDictionary<string, FunctionRequirement> requirements;

    public FunctionAccess(Assembly functionsAssembly)
    {
        requirements = (
            from type in functionsAssembly.GetTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            select (function.Name, Requirement: Read(type, method)))
            .ToDictionary(f => f.Name, f => f.Requirement, StringComparer.Ordinal);
    }

    public FunctionRequirement For(string functionName) =>
        requirements.TryGetValue(functionName, out var requirement) ? requirement : FunctionRequirement.Authenticated;

    private static FunctionRequirement Read(Type type, MethodInfo method)
    {
        if (method.GetCustomAttribute<AllowAnonymousAttribute>() is not null || type.GetCustomAttribute<AllowAnonymousAttribute>() is not null)
        {
            return new FunctionRequirement(true, null);
        }

        var roles = method.GetCustomAttributes<AuthorizeAttribute>().Concat(type.GetCustomAttributes<AuthorizeAttribute>())
            .Where(a => !string.IsNullOrWhiteSpace(a.Roles))
            .SelectMany(a => a.Roles!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => StoreProvisioning.Identity.Roles.TryParse(name, out var role)
                ? role
                : throw new InvalidOperationException($"{type.Name}.{method.Name}: [Authorize(Roles)] names unknown role '{name}'."))
            .ToHashSet();
        var scrapeKey = method.GetCustomAttribute<AllowScrapeKeyAttribute>() is not null;
        return roles.Count == 0 && !scrapeKey ? FunctionRequirement.Authenticated : new FunctionRequirement(false, roles.Count == 0 ? null : roles, scrapeKey);
    }
}

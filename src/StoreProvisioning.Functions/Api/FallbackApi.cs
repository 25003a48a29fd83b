using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// Catches every request no other function's route and method match, so unknown paths and wrong methods get a
/// problem+json 404 or 405 with an Allow header instead of the host's empty answer. The host tries functions in name
/// order and a catch-all takes every path, so its name starts with <see cref="FunctionRoutes.LastInHostOrder"/>:
/// it must sort after every other function, whatever they are called (see <see cref="FunctionRoutes"/>).
/// </summary>
public sealed class FallbackApi
{
    private static readonly Lazy<IReadOnlyList<(Regex Pattern, string[] Methods)>> Routes = new(ReadRoutes);

    [Function(FunctionRoutes.LastInHostOrder + "Fallback")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        string? path)
    {
        var allowed = AllowedMethods(path ?? string.Empty);
        if (allowed.Count == 0)
        {
            return Problems.Create(
                StatusCodes.Status404NotFound,
                "No such endpoint",
                "There is no API endpoint at this path. The API lives under /api/stores and /api/health; see the README's API table.");
        }

        request.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return Problems.Create(
            StatusCodes.Status405MethodNotAllowed,
            "Method not allowed",
            $"This endpoint does not take {Printable(request.Method)}; it takes {string.Join(", ", allowed)}.");
    }

    /// <summary>The methods the app's own functions accept at this path (empty when no route matches).</summary>
    public static IReadOnlyList<string> AllowedMethods(string path)
    {
        var trimmed = path.Trim('/');
        return Routes.Value
            .Where(r => r.Pattern.IsMatch(trimmed))
            .SelectMany(r => r.Methods)
            .Select(m => m.ToUpperInvariant())
            .Distinct()
            .OrderBy(m => m, StringComparer.Ordinal)
            .ToList();
    }

    private static IReadOnlyList<(Regex, string[])> ReadRoutes() =>
        typeof(FallbackApi).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
            .Where(a => a?.Route is not null && !a.Route.Contains('*', StringComparison.Ordinal))
            .Select(a => (ToPattern(a!.Route!), a!.Methods ?? []))
            .ToList();

    // "stores/{name}/upgrade" → ^stores/[^/]+/upgrade$. A parameter's constraint is ignored: the Allow header may
    // then name a method whose function refuses this value, which still answers (400), never 404.
    private static Regex ToPattern(string route) =>
        new("^" + Regex.Replace(Regex.Escape(route.Trim('/')), @"\\\{[^}]+\}", "[^/]+") + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static string Printable(string method) => new(method.Where(char.IsAsciiLetter).Take(16).ToArray());
}

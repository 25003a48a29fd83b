using Microsoft.AspNetCore.Routing.Template;
using StoreProvisioning.TestServer;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>
/// Checks a set of HTTP functions against the Functions host's route precedence (<see cref="HostOrderRouter"/>): for
/// every function, method and concrete path its own template accepts, the host must pick that function and no other.
/// So apart from the catch-all no two functions may accept the same method and path, and order cannot matter.
/// </summary>
internal static class RoutePrecedence
{
    private static readonly string[] AnyMethod = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private const string OrdinaryName = "probe-store";

    /// <summary>A request that should reach <paramref name="Function"/> but reaches <paramref name="ReachedBy"/> (null: nothing) first.</summary>
    public sealed record Shadowing(string Method, string Path, string Function, string? ReachedBy)
    {
        public override string ToString() => $"{Method} {Path}: {Function} takes it but the host gives it to {ReachedBy ?? "no function"}";
    }

    /// <summary>Every probe that does not reach its own function, for all functions but catch-alls (they exist to be shadowed).</summary>
    public static async Task<IReadOnlyList<Shadowing>> FindShadowingAsync(IReadOnlyList<FunctionRoute> functions)
    {
        var router = new HostOrderRouter(functions);
        var values = ProbeValues(functions);
        var found = new List<Shadowing>();
        foreach (var function in router.Functions.Where(f => !IsCatchAll(f)))
        {
            var alone = new HostOrderRouter([function]);
            var probed = 0;
            foreach (var method in function.Methods ?? AnyMethod)
            {
                foreach (var path in Paths(function.Template, values))
                {
                    if (await alone.MatchAsync(method, path) is null)
                    {
                        continue; // the function's own template or constraints refuse this value: not its request
                    }

                    probed++;
                    var reached = await router.MatchAsync(method, path);
                    if (reached?.Function.FunctionName != function.FunctionName)
                    {
                        found.Add(new Shadowing(method, path, function.FunctionName, reached?.Function.FunctionName));
                    }
                }
            }

            Assert.True(probed > 0, $"No probe path reaches {function.FunctionName} ({function.Template}) even on its own; the probe values cannot exercise it.");
        }

        return found;
    }

    /// <summary>A template with a catch-all parameter ({*path}) takes every path below it.</summary>
    public static bool IsCatchAll(FunctionRoute function) =>
        TemplateParser.Parse(function.Template).Parameters.Any(p => p.IsCatchAll);

    // Every literal segment of every route (e.g. metrics, activity, health, upgrade) plus the reserved store names and an
    // ordinary name: a parameter that accepts one of them where a literal route exists is exactly the host's shadowing.
    private static string[] ProbeValues(IEnumerable<FunctionRoute> functions) =>
        functions
            .SelectMany(f => TemplateParser.Parse(f.Template).Segments)
            .SelectMany(s => s.Parts)
            .Where(p => p.IsLiteral)
            .Select(p => p.Text!)
            .Concat(StoreRules.ReservedNames)
            .Append(OrdinaryName)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();

    // The concrete paths of a template: each parameter replaced by each probe value (a catch-all by "value/more").
    private static IEnumerable<string> Paths(string template, string[] values)
    {
        IEnumerable<string> paths = ["/api"];
        foreach (var segment in TemplateParser.Parse(template).Segments)
        {
            IEnumerable<string> texts = [string.Empty];
            foreach (var part in segment.Parts)
            {
                var choices = part.IsLiteral ? [part.Text!]
                    : part.IsCatchAll ? values.Select(v => v + "/more").ToArray()
                    : values;
                texts = texts.SelectMany(t => choices.Select(c => t + c)).ToList();
            }

            paths = paths.SelectMany(p => texts.Select(t => p + "/" + t)).ToList();
        }

        return paths;
    }
}

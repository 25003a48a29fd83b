using System.Text.Json;
using StoreProvisioning.TestServer;

namespace StoreProvisioning.Functions.Tests.Hosting;

/// <summary>The build's functions.metadata: what the Functions host indexes and routes.</summary>
internal static class BuildMetadata
{
    public static JsonElement[] Functions { get; } = Load();

    /// <summary>Every HTTP function as the host registers its route: the trigger's route (or the function's name) and methods.</summary>
    public static IReadOnlyList<FunctionRoute> HttpRoutes() =>
        (from function in Functions
         from binding in function.GetProperty("bindings").EnumerateArray()
         where binding.GetProperty("type").GetString() == "httpTrigger"
         let name = function.GetProperty("name").GetString()!
         let route = binding.TryGetProperty("route", out var r) && r.GetString() is { Length: > 0 } template ? template : name
         let methods = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
             ? m.EnumerateArray().Select(v => v.GetString()!.ToUpperInvariant()).ToArray()
             : null
         select new FunctionRoute(name, route, methods))
        .ToList();

    private static JsonElement[] Load()
    {
        var path = Path.Combine(RepositoryFiles.FunctionsOutput(), "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}

using System.Text.Json;

namespace StoreProvisioning.TestServer;

/// <summary>
/// A <c>durableTask</c> setting as the Functions host reads it: the app setting
/// <c>AzureFunctionsJobHost__extensions__durableTask__{path}</c> over <c>host.json</c>'s <c>extensions.durableTask.{path}</c>
/// (a path such as <c>storageProvider:maxQueuePollingInterval</c>); null when neither has it.
/// </summary>
public static class HostDurableSetting
{
    private const string DurableSection = "AzureFunctionsJobHost:extensions:durableTask:";

    public static string? Read(IConfiguration configuration, string hostJsonPath, string path)
    {
        if (configuration[DurableSection + path] is { Length: > 0 } setting)
        {
            return setting;
        }

        using var hostJson = JsonDocument.Parse(File.ReadAllText(hostJsonPath));
        var element = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask");
        foreach (var name in path.Split(':'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }

    /// <summary>
    /// A whole-number setting from <paramref name="min"/> to <paramref name="max"/>; null when neither the app setting
    /// nor host.json has it. Anything else stops the start, naming the setting.
    /// </summary>
    public static int? ReadWholeNumber(IConfiguration configuration, string hostJsonPath, string path, int min, int max) =>
        Read(configuration, hostJsonPath, path) switch
        {
            null => null,
            var text when int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
            var text => throw new InvalidOperationException($"{path} '{text}' is not a whole number from {min} to {max} (host.json or {AppSetting(path)})."),
        };

    /// <summary>The app setting's name for <paramref name="path"/>, for messages.</summary>
    public static string AppSetting(string path) => "AzureFunctionsJobHost__extensions__durableTask__" + path.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>
/// How many activities and orchestrator episodes the Functions host runs at once: <c>host.json</c>'s
/// <c>extensions.durableTask.maxConcurrentActivityFunctions</c> / <c>maxConcurrentOrchestratorFunctions</c>, overridden
/// by the app settings <c>AzureFunctionsJobHost__extensions__durableTask__…</c>, as the host reads them.
/// </summary>
public sealed record HostConcurrency(int Activities, int Orchestrators)
{
    public static HostConcurrency From(IConfiguration configuration, string hostJsonPath) =>
        new(Read(configuration, hostJsonPath, "maxConcurrentActivityFunctions"), Read(configuration, hostJsonPath, "maxConcurrentOrchestratorFunctions"));

    private static int Read(IConfiguration configuration, string hostJsonPath, string name) =>
        HostDurableSetting.ReadWholeNumber(configuration, hostJsonPath, name, 1, int.MaxValue)
            ?? throw new InvalidOperationException($"{name} must be set (host.json or {HostDurableSetting.AppSetting(name)}).");
}

/// <summary>
/// How long DurableTask.AzureStorage may wait between polls of an idle queue: <c>host.json</c>'s
/// <c>extensions.durableTask.storageProvider.maxQueuePollingInterval</c> (or its app setting), 30 s when unset, as
/// under the host. It bounds how long a new orchestration, an activity or a slot's wake-up event waits after a quiet spell.
/// </summary>
public static class HostQueuePolling
{
    public const string Setting = "storageProvider:maxQueuePollingInterval";

    /// <summary>The provider's default.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static TimeSpan From(IConfiguration configuration, string hostJsonPath) =>
        HostDurableSetting.Read(configuration, hostJsonPath, Setting) switch
        {
            null => Default,
            var text when TimeSpan.TryParseExact(text, "c", System.Globalization.CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero => interval,
            var text => throw new InvalidOperationException($"maxQueuePollingInterval '{text}' is not a positive hh:mm:ss duration (host.json or {HostDurableSetting.AppSetting(Setting)})."),
        };
}

/// <summary>
/// How many control queues (partitions) the task hub has: <c>host.json</c>'s
/// <c>extensions.durableTask.storageProvider.partitionCount</c> (or its app setting), 4 when unset, as under the host.
/// Every instance sharing a hub must use the same count.
/// </summary>
public static class HostPartitionCount
{
    public const string Setting = "storageProvider:partitionCount";

    /// <summary>The provider's default.</summary>
    public const int Default = 4;

    public static int From(IConfiguration configuration, string hostJsonPath) =>
        HostDurableSetting.ReadWholeNumber(configuration, hostJsonPath, Setting, 1, 16) ?? Default;
}

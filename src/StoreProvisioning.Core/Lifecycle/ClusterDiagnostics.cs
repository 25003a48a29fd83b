using System.Text;
using System.Text.Json;

namespace StoreProvisioning.Lifecycle;

/// <summary>What the cluster says about a failed install: a short summary for the store's error, detail for the audit row.</summary>
/// <param name="Summary">One line a person can act on, e.g. "pod acme-app-0: ImagePullBackOff (Back-off pulling image …)".</param>
/// <param name="Detail">Every pod's phase and waiting reason and the recent warning events, for the activity log.</param>
/// <param name="FoundProblems">True when a known cause was found (image pulls, crash loops, scheduling, quota).</param>
public sealed record DiagnosticsReport(string Summary, string Detail, bool FoundProblems);

/// <summary>
/// Turns `kubectl get pods -o json` and `kubectl get events -o json` into a diagnosis. Pure (observe → decide): the
/// activity reads, this function explains.
/// </summary>
public static class ClusterDiagnostics
{
    /// <summary>Waiting reasons that explain why a pod never became ready.</summary>
    public static readonly IReadOnlySet<string> ProblemReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError",
        "InvalidImageName", "RunContainerError", "ErrImageNeverPull",
    };

    private const int MaxSummaryProblems = 3;
    private const int MaxEvents = 15;

    public static DiagnosticsReport Summarise(JsonElement? pods, JsonElement? events)
    {
        var problems = new List<string>();
        var detail = new StringBuilder();
        var unschedulablePods = new HashSet<string>(StringComparer.Ordinal);
        var podCount = 0;
        var phases = new SortedDictionary<string, int>(StringComparer.Ordinal);

        foreach (var pod in Items(pods))
        {
            podCount++;
            var name = Text(pod, "metadata", "name") ?? "(unnamed)";
            var phase = Text(pod, "status", "phase") ?? "Unknown";
            phases[phase] = phases.GetValueOrDefault(phase) + 1;
            var line = new StringBuilder($"pod {name}: {phase}");

            foreach (var container in Containers(pod))
            {
                var containerName = Text(container, "name") ?? "?";
                if (container.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.Object
                    && state.TryGetProperty("waiting", out var waiting) && waiting.ValueKind == JsonValueKind.Object)
                {
                    var reason = Text(waiting, "reason") ?? "Waiting";
                    var message = Text(waiting, "message");
                    line.Append($"; {containerName} waiting: {reason}{(string.IsNullOrWhiteSpace(message) ? string.Empty : " (" + Short(message, 160) + ")")}");
                    if (ProblemReasons.Contains(reason))
                    {
                        Add(problems, $"pod {name}: {reason}{(string.IsNullOrWhiteSpace(message) ? string.Empty : " (" + Short(message, 120) + ")")}");
                    }
                }

                var lastReason = container.TryGetProperty("lastState", out var last) && last.ValueKind == JsonValueKind.Object
                    && last.TryGetProperty("terminated", out var terminated) && terminated.ValueKind == JsonValueKind.Object
                        ? Text(terminated, "reason")
                        : null;
                if (lastReason == "OOMKilled")
                {
                    line.Append($"; {containerName} last terminated: OOMKilled");
                    Add(problems, $"pod {name}: container {containerName} was OOMKilled (raise its memory limit)");
                }
            }

            if (pod.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                foreach (var condition in conditions.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
                {
                    if (Text(condition, "type") == "PodScheduled" && Text(condition, "status") == "False")
                    {
                        var reason = Text(condition, "reason") ?? "NotScheduled";
                        var message = Text(condition, "message");
                        line.Append($"; not scheduled: {reason}{(message is null ? string.Empty : " (" + Short(message, 160) + ")")}");
                        unschedulablePods.Add(name);
                        Add(problems, $"pod {name} is {reason}{(message is null ? string.Empty : ": " + Short(message, 120))}");
                    }
                }
            }

            detail.AppendLine(line.ToString());
        }

        var warnings = Items(events).Where(e => Text(e, "type") == "Warning").ToList();
        foreach (var warning in warnings.TakeLast(MaxEvents))
        {
            var reason = Text(warning, "reason") ?? "Warning";
            var message = Text(warning, "message") ?? string.Empty;
            var kind = Text(warning, "involvedObject", "kind");
            var objectName = Text(warning, "involvedObject", "name");
            detail.AppendLine($"event {reason} {kind}/{objectName}: {Short(message, 240)}");

            if (message.Contains("exceeded quota", StringComparison.OrdinalIgnoreCase))
            {
                Add(problems, $"quota exceeded: {Short(message, 160)}");
            }
            else if (reason == "FailedScheduling" && (objectName is null || !unschedulablePods.Contains(objectName)))
            {
                Add(problems, $"{kind?.ToLowerInvariant() ?? "pod"} {objectName} is Unschedulable: {Short(message, 120)}");
            }
        }

        if (podCount == 0)
        {
            detail.Insert(0, "no pods in the namespace" + Environment.NewLine);
        }

        string summary;
        if (problems.Count > 0)
        {
            summary = string.Join("; ", problems.Take(MaxSummaryProblems))
                + (problems.Count > MaxSummaryProblems ? $" (+{problems.Count - MaxSummaryProblems} more in the activity log)" : string.Empty);
        }
        else if (podCount == 0)
        {
            summary = warnings.Count > 0
                ? $"no pods were created; last warning: {Short(Text(warnings[^1], "message") ?? "?", 160)}"
                : "no pods were created and the namespace has no warning events";
        }
        else
        {
            summary = "no pod problem found (pods: " + string.Join(", ", phases.Select(p => $"{p.Value} {p.Key}")) + ")";
        }

        return new DiagnosticsReport(summary, detail.ToString().TrimEnd(), problems.Count > 0);
    }

    private static void Add(List<string> problems, string problem)
    {
        if (!problems.Contains(problem, StringComparer.Ordinal))
        {
            problems.Add(problem);
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement? list) =>
        list is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
            : [];

    private static IEnumerable<JsonElement> Containers(JsonElement pod)
    {
        if (!pod.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var key in new[] { "initContainerStatuses", "containerStatuses" })
        {
            if (status.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var container in list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
                {
                    yield return container;
                }
            }
        }
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var key in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static string Short(string text, int max)
    {
        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}

using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace StoreProvisioning.Cluster;

/// <summary>What keeps a namespace from going away: its phase, finalizers, conditions and remaining resources.</summary>
public static class NamespaceBlockers
{
    private const int MaxListed = 20;

    /// <summary>
    /// A sentence such as "phase Terminating; finalizers kubernetes; remaining: pod/x, pvc/y". Best effort: what
    /// cannot be read is said, never thrown. Null when there is nothing to say.
    /// </summary>
    public static async Task<string?> DescribeAsync(KubectlCli kubectl, string ns, ILogger logger, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            using var document = await kubectl.GetNamespaceAsync(ns, timeout.Token).ConfigureAwait(false);
            if (document is null)
            {
                return "the namespace is gone now";
            }

            var root = document.RootElement;
            if (root.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase))
            {
                parts.Add($"phase {phase.GetString()}");
            }

            if (root.TryGetProperty("spec", out var spec) && spec.TryGetProperty("finalizers", out var finalizers) && finalizers.ValueKind == JsonValueKind.Array)
            {
                parts.Add("finalizers " + string.Join(", ", finalizers.EnumerateArray().Select(f => f.GetString())));
            }

            if (root.TryGetProperty("status", out status) && status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                parts.AddRange(conditions.EnumerateArray()
                    .Where(c => c.TryGetProperty("status", out var s) && s.GetString() == "True" && c.TryGetProperty("message", out _))
                    .Select(c => c.GetProperty("message").GetString() ?? string.Empty));
            }
        }
        catch (Exception ex) when (ex is CliCommandException or JsonException or InvalidOperationException or OperationCanceledException)
        {
            parts.Add("could not read the namespace: " + ex.Message);
        }

        try
        {
            var remaining = await kubectl.GetRemainingResourcesAsync(ns, timeout.Token).ConfigureAwait(false);
            if (remaining.Count > 0)
            {
                parts.Add("remaining: " + string.Join(", ", remaining.Take(MaxListed)) + (remaining.Count > MaxListed ? $" (+{remaining.Count - MaxListed} more)" : string.Empty));
            }
        }
        catch (Exception ex) when (ex is CliCommandException or OperationCanceledException)
        {
            logger.LogInformation("Could not list what is left in {Namespace}: {Reason}", ns, ex.Message);
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}

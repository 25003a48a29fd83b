using System.Text.Json;
using StoreProvisioning.Configuration;

namespace StoreProvisioning.Cluster;

/// <summary>kubectl, run through the <see cref="CliRunner"/>. Virtual so tests can fake single answers.</summary>
public class KubectlCli(CliRunner runner, StoreProvisioningOptions options)
{
    /// <summary>
    /// Applies manifests given on stdin (the platform chart's render): creates what is missing, repairs what drifted.
    /// Idempotent. <paramref name="scope"/> is the store namespace, so a cancel of that store stops the apply too.
    /// </summary>
    public virtual Task ApplyAsync(string manifests, CancellationToken cancellationToken, string? scope = null) =>
        runner.RunCheckedAsync(
            new CliRequest(options.KubectlPath, KubectlArguments.ApplyFromStdin(), options.QueryTimeout, manifests, Scope: scope),
            cancellationToken);

    /// <summary>The API server's endpoint addresses as /32 CIDRs (from the default namespace's `kubernetes` Endpoints).</summary>
    public virtual async Task<IReadOnlyList<string>> GetApiServerCidrsAsync(CancellationToken cancellationToken)
    {
        var args = KubectlArguments.GetApiServerEndpoints();
        using var document = Parse(await runner.RunCheckedAsync(Query(args), cancellationToken).ConfigureAwait(false), args);
        var addresses = new List<string>();
        if (document.RootElement.TryGetProperty("subsets", out var subsets) && subsets.ValueKind == JsonValueKind.Array)
        {
            foreach (var subset in subsets.EnumerateArray())
            {
                if (subset.TryGetProperty("addresses", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    addresses.AddRange(list.EnumerateArray()
                        .Select(a => a.TryGetProperty("ip", out var ip) ? ip.GetString() + "/32" : null)
                        .Where(c => c is not null && StoreProvisioningOptions.IsIpv4Cidr(c))!);
                }
            }
        }

        return addresses.Count > 0
            ? addresses.Distinct(StringComparer.Ordinal).ToList()
            : throw new CliCommandException(CliFailure.UnreadableOutput, Display(args), "the kubernetes Endpoints list no IPv4 address; set API_SERVER_CIDRS.", null);
    }

    /// <summary>Deletes the namespace and waits until it is gone. Idempotent.</summary>
    public virtual Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(
            new CliRequest(options.KubectlPath, KubectlArguments.DeleteNamespace(ns, options.HelmTimeout), options.HelmTimeout + options.TerminationGrace, Scope: ns),
            cancellationToken);

    /// <summary>Every managed namespace and platform object, in all namespaces (one `kubectl get … -o json` List).</summary>
    public virtual async Task<JsonDocument> ListPlatformObjectsAsync(CancellationToken cancellationToken) =>
        Parse(await runner.RunCheckedAsync(Query(KubectlArguments.ListPlatformObjects()), cancellationToken).ConfigureAwait(false), KubectlArguments.ListPlatformObjects());

    /// <summary>The namespace object as JSON, or null when it does not exist.</summary>
    public virtual async Task<JsonDocument?> GetNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(Query(KubectlArguments.GetNamespace(ns)), cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(result.StandardOutput) ? null : Parse(result, KubectlArguments.GetNamespace(ns));
    }

    public virtual async Task<JsonDocument> GetPodsAsync(string ns, CancellationToken cancellationToken) =>
        Parse(await runner.RunCheckedAsync(Query(KubectlArguments.GetPods(ns)), cancellationToken).ConfigureAwait(false), KubectlArguments.GetPods(ns));

    public virtual async Task<JsonDocument> GetEventsAsync(string ns, CancellationToken cancellationToken) =>
        Parse(await runner.RunCheckedAsync(Query(KubectlArguments.GetEvents(ns)), cancellationToken).ConfigureAwait(false), KubectlArguments.GetEvents(ns));

    /// <summary>Names of resources left in the namespace (kind/name).</summary>
    public virtual async Task<IReadOnlyList<string>> GetRemainingResourcesAsync(string ns, CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(Query(KubectlArguments.GetAll(ns)), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The API server's version, which proves the cluster answers.</summary>
    public virtual async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        var args = KubectlArguments.ServerVersion(TimeSpan.FromSeconds(5));
        var result = await runner.RunCheckedAsync(Query(args), cancellationToken).ConfigureAwait(false);
        using var document = Parse(result, args);
        return document.RootElement.TryGetProperty("serverVersion", out var server) && server.TryGetProperty("gitVersion", out var v)
            ? SimulatedCli.Describe(v.GetString() ?? "unknown", Commit(server))
            : throw new CliCommandException(CliFailure.UnreadableOutput, Display(args), "kubectl reached no API server (no serverVersion in its answer).", result);
    }

    /// <summary>The kubectl client version, which proves the binary runs.</summary>
    public virtual async Task<string> ClientVersionAsync(CancellationToken cancellationToken)
    {
        string[] args = ["version", "--client", "--output", "json"];
        var result = await runner.RunCheckedAsync(Query(args), cancellationToken).ConfigureAwait(false);
        using var document = Parse(result, args);
        var client = document.RootElement.GetProperty("clientVersion");
        return SimulatedCli.Describe(client.GetProperty("gitVersion").GetString() ?? "unknown", Commit(client));
    }

    private static string? Commit(System.Text.Json.JsonElement version) =>
        version.TryGetProperty("gitCommit", out var commit) && commit.ValueKind == System.Text.Json.JsonValueKind.String ? commit.GetString() : null;

    private CliRequest Query(IReadOnlyList<string> args) => new(options.KubectlPath, args, options.QueryTimeout);

    private string Display(IReadOnlyList<string> args) => new CliRequest(options.KubectlPath, args, TimeSpan.Zero).Display;

    private JsonDocument Parse(CliResult result, IReadOnlyList<string> args)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException ex)
        {
            throw new CliCommandException(
                CliFailure.UnreadableOutput,
                Display(args),
                $"`{Display(args)}` printed output that is not JSON: {CliCommandException.Tail(result.StandardOutput, 200)}",
                result,
                ex);
        }
    }
}

using System.Globalization;
using System.Text.Json;
using StoreProvisioning.Configuration;

namespace StoreProvisioning.Cluster;

/// <summary>helm, run through the <see cref="CliRunner"/>. Virtual so tests can fake single answers.</summary>
public class HelmCli(CliRunner runner, StoreProvisioningOptions options)
{
    private readonly SemaphoreSlim versionLock = new(1, 1);
    private int? major;

    /// <summary>
    /// `helm upgrade --install`; throws <see cref="CliCommandException"/> when helm fails or times out. Returns the
    /// release as helm wrote it (status and revision), or null when helm succeeded but printed something unreadable:
    /// the caller then asks `helm status`, so odd output never turns a deployed release into a failed store.
    /// </summary>
    public virtual async Task<HelmReleaseStatus?> UpgradeInstallAsync(
        string release, string chartPath, string ns, IReadOnlyList<string> valuesFiles, bool rollbackOnFailure,
        IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var helmMajor = await MajorVersionAsync(cancellationToken).ConfigureAwait(false);
        var args = HelmArguments.UpgradeInstall(helmMajor, release, chartPath, ns, options.HelmTimeout, valuesFiles, rollbackOnFailure);
        var request = Long(args, secrets, ns);
        var result = await runner.RunCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return ReadJson(request, result, ReadRelease);
        }
        catch (CliCommandException ex) when (ex.Failure == CliFailure.UnreadableOutput)
        {
            return null;
        }
    }

    /// <summary>`helm template`: the chart rendered offline with these values files; the manifests as text.</summary>
    public virtual async Task<string> TemplateAsync(
        string release, string chartPath, string ns, IReadOnlyList<string> valuesFiles, IReadOnlyCollection<string>? secrets, CancellationToken cancellationToken)
    {
        var request = new CliRequest(options.HelmPath, HelmArguments.Template(release, chartPath, ns, valuesFiles), options.QueryTimeout, Secrets: secrets);
        return (await runner.RunCheckedAsync(request, cancellationToken).ConfigureAwait(false)).StandardOutput;
    }

    public virtual Task RollbackAsync(string release, int revision, string ns, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(Long(HelmArguments.Rollback(release, revision, ns, options.HelmTimeout), null, ns), cancellationToken);

    public virtual Task UninstallAsync(string release, string ns, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(Long(HelmArguments.Uninstall(release, ns, options.HelmTimeout), null, ns), cancellationToken);

    /// <summary>Every release the control plane installed, in every namespace, at its latest revision (one `helm list`).</summary>
    public virtual async Task<IReadOnlyList<HelmListedRelease>> ListManagedAsync(CancellationToken cancellationToken)
    {
        var request = Short(HelmArguments.ListManaged());
        var result = await runner.RunCheckedAsync(request, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(result.StandardOutput))
        {
            return [];
        }

        return ReadJson(request, result, root => root.EnumerateArray()
            .Select(r => new HelmListedRelease(
                r.GetProperty("name").GetString()!,
                r.GetProperty("namespace").GetString()!,
                new HelmReleaseStatus(
                    r.GetProperty("status").GetString() ?? "unknown",
                    // helm 3 prints the revision as a string, as a number elsewhere: accept both.
                    r.GetProperty("revision") is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : int.Parse(r.GetProperty("revision").GetString()!, CultureInfo.InvariantCulture),
                    null)))
            .ToList());
    }

    /// <summary>The release's status, or null when helm has no such release.</summary>
    public virtual async Task<HelmReleaseStatus?> StatusAsync(string release, string ns, CancellationToken cancellationToken)
    {
        var request = Short(HelmArguments.Status(release, ns)) with { Scope = ns, IsAnswer = IsNotFound };
        var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            if (IsNotFound(result))
            {
                return null;
            }

            throw Failed(request, result);
        }

        return ReadJson(request, result, ReadRelease);
    }

    /// <summary>A release as `helm status -o json` and `helm upgrade -o json` print it (status, revision, description).</summary>
    private static HelmReleaseStatus ReadRelease(JsonElement root) => new(
        root.GetProperty("info").GetProperty("status").GetString() ?? "unknown",
        root.GetProperty("version").GetInt32(),
        root.GetProperty("info").TryGetProperty("description", out var d) ? d.GetString() : null);

    /// <summary>The release's revisions, oldest first; empty when helm has no such release.</summary>
    public virtual async Task<IReadOnlyList<HelmRevision>> HistoryAsync(string release, string ns, CancellationToken cancellationToken)
    {
        var request = Short(HelmArguments.History(release, ns)) with { Scope = ns, IsAnswer = IsNotFound };
        var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            if (IsNotFound(result))
            {
                return [];
            }

            throw Failed(request, result);
        }

        return ReadJson(request, result, root => root.EnumerateArray()
            .Select(r => new HelmRevision(
                r.GetProperty("revision").GetInt32(),
                r.GetProperty("status").GetString() ?? "unknown",
                r.TryGetProperty("chart", out var c) ? c.GetString() : null,
                r.TryGetProperty("description", out var d) ? d.GetString() : null,
                r.TryGetProperty("app_version", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
                r.TryGetProperty("updated", out var u) && u.ValueKind == JsonValueKind.String ? ParseTime(u.GetString()!) : null))
            .OrderBy(r => r.Revision)
            .ToList());
    }

    /// <summary>
    /// The user-supplied values stored with one revision (`helm get values --revision N -o json`), or null when helm
    /// has no such release or revision. They hold the store's credentials: never return them unfiltered.
    /// </summary>
    public virtual async Task<System.Text.Json.Nodes.JsonObject?> GetValuesAsync(string release, string ns, int revision, CancellationToken cancellationToken)
    {
        var request = Short(HelmArguments.GetValues(release, ns, revision)) with { Scope = ns, IsAnswer = IsNotFound };
        var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            if (IsNotFound(result))
            {
                return null;
            }

            throw Failed(request, result);
        }

        // helm prints `null` for a revision without user-supplied values.
        return ReadJson(request, result, root => root.ValueKind switch
        {
            JsonValueKind.Object => System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject(),
            JsonValueKind.Null => [],
            _ => throw new InvalidOperationException("not an object"),
        });
    }

    /// <summary>
    /// helm's RFC 3339 times carry nanoseconds ("2026-12-02T01:02:03.123456789+01:00"); .NET reads at most seven
    /// fractional digits, so the rest is cut. Null when unreadable (the time is informative only).
    /// </summary>
    public static DateTimeOffset? ParseTime(string text)
    {
        var trimmed = System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"(\.\d{7})\d+", "$1");
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUniversalTime() : null;
    }

    /// <summary>The helm version string, e.g. v3.17.3.</summary>
    public virtual async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(Short(HelmArguments.Version()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    /// <summary>The version as health shows it: "v3.17.3", with the fake's own note when helm is simulated.</summary>
    public virtual async Task<string> DescribeVersionAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(Short(HelmArguments.VersionAndCommit()), cancellationToken).ConfigureAwait(false);
        var parts = result.StandardOutput.Trim().Split(' ', 2);
        return SimulatedCli.Describe(parts[0], parts.Length > 1 ? parts[1] : null);
    }

    /// <summary>3 or 4, asked of helm once and remembered: the flags of the two differ.</summary>
    public async Task<int> MajorVersionAsync(CancellationToken cancellationToken)
    {
        if (major is { } known)
        {
            return known;
        }

        await versionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            major ??= ParseMajor(await VersionAsync(cancellationToken).ConfigureAwait(false));
            return major.Value;
        }
        finally
        {
            versionLock.Release();
        }
    }

    /// <summary>"v3.17.3+g..." → 3. Unknown text is treated as helm 3, the older flag set.</summary>
    public static int ParseMajor(string version)
    {
        var text = version.Trim().TrimStart('v');
        var dot = text.IndexOf('.');
        return int.TryParse(dot < 0 ? text : text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 3;
    }

    private static bool IsNotFound(CliResult result) =>
        result.StandardError.Contains("release: not found", StringComparison.OrdinalIgnoreCase);

    private static CliCommandException Failed(CliRequest request, CliResult result) =>
        new(CliFailure.ExitCode, request.Display,
            $"`{request.Display}` exited with code {result.ExitCode}. stderr: {CliCommandException.Tail(result.StandardError)}", result);

    private static T ReadJson<T>(CliRequest request, CliResult result, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(result.StandardOutput);
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CliCommandException(
                CliFailure.UnreadableOutput,
                request.Display,
                $"`{request.Display}` printed output that is not the JSON helm should print: {CliCommandException.Tail(result.StandardOutput, 200)}",
                result,
                ex);
        }
    }

    // Helm gets its own --timeout; the runner's timeout adds the grace helm needs to give up by itself.
    private CliRequest Long(IReadOnlyList<string> args, IReadOnlyCollection<string>? secrets, string ns) =>
        new(options.HelmPath, args, options.HelmTimeout + options.TerminationGrace, Secrets: secrets, Scope: ns);

    private CliRequest Short(IReadOnlyList<string> args) => new(options.HelmPath, args, options.QueryTimeout);
}

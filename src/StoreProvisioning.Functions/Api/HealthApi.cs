using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using StoreProvisioning.Cluster;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// GET /api/health: anonymous and minimal, for probes (can the API serve: its database). GET /api/health/details, for
/// operators: can the control plane use its database, run helm and kubectl, and reach a cluster?
/// </summary>
public sealed class HealthApi(MetadataDatabase database, HelmCli helm, KubectlCli kubectl)
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";

    /// <summary>One component's state and a sentence that says what to do about it.</summary>
    public sealed record Check(string Status, string Message);

    public sealed record HealthResponse(string Status, Check Database, Check Helm, Check Kubectl, Check Cluster);

    public sealed record StatusResponse(string Status);

    [AllowAnonymous]
    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // Nothing about paths, versions or the cluster: anyone may ask this.
        var usable = (await CheckDatabaseAsync(cancellationToken)).Status == Ok;
        return ApiJson.Write(new StatusResponse(usable ? Ok : Unavailable), usable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, "application/json");
    }

    [Authorize(Roles = Roles.OperatorOrAdmin)]
    [Function("HealthDetails")]
    public async Task<IActionResult> Details(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/details")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckDatabaseAsync(cancellationToken),
            CheckAsync(async ct => $"helm {await helm.DescribeVersionAsync(ct)}.", "helm cannot be run; install it or set HELM_PATH.", cancellationToken),
            CheckAsync(async ct => $"kubectl {await kubectl.ClientVersionAsync(ct)}.", "kubectl cannot be run; install it or set KUBECTL_PATH.", cancellationToken),
            CheckAsync(async ct => $"API server {await kubectl.ServerVersionAsync(ct)} reachable.", "No Kubernetes cluster is reachable; check KUBECONFIG (e.g. start k3d).", cancellationToken));

        // Only the database makes the API unusable; without a cluster it still answers and records.
        var databaseUsable = checks[0].Status == Ok;
        var overall = checks.All(c => c.Status == Ok) ? Ok : databaseUsable ? "degraded" : Unavailable;
        return ApiJson.Write(
            new HealthResponse(overall, checks[0], checks[1], checks[2], checks[3]),
            databaseUsable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            "application/json");
    }

    private Task<Check> CheckDatabaseAsync(CancellationToken cancellationToken) => CheckAsync(
        async ct =>
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var version = await database.ReadSchemaVersionAsync(connection, ct);
            return $"{database.Engine} at {database.Location}, schema version {version}.";
        },
        database is SqliteDatabase
            ? "The database cannot be opened; check SQLITE_PATH and that its folder is writable."
            : "The database cannot be reached; check POSTGRES_CONNECTION and that PostgreSQL is up.",
        cancellationToken);

    private static async Task<Check> CheckAsync(Func<CancellationToken, Task<string>> probe, string hint, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return new Check(Ok, await probe(timeout.Token));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is CliCommandException cli ? cli.Message : ex.Message;
            return new Check(Unavailable, $"{hint} ({CliCommandException.Tail(reason, 300)})");
        }
    }
}

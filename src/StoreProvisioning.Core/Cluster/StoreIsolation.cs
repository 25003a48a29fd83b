using StoreProvisioning.Catalog;
using StoreProvisioning.Configuration;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Cluster;

/// <summary>The outcome of putting the platform's isolation on a store namespace.</summary>
/// <param name="Refusal">Null when applied; otherwise why the namespace may not be used (another store's, still terminating).</param>
public sealed record IsolationResult(string? Refusal)
{
    public bool Applied => Refusal is null;
}

/// <summary>
/// Puts the platform's isolation on a store's namespace: checks that the namespace is free or this store's
/// (<see cref="NamespaceOwnership"/>), renders helm/store-namespace with the store's plan and the operator settings
/// (`helm template`), and applies the render (`kubectl apply`, in the two <see cref="PlatformApplyPhases"/>). Creates the namespace on first use and repairs drift on
/// every later use; applying the same render again changes nothing. CLI failures throw <see cref="CliCommandException"/>.
/// </summary>
public class StoreIsolation(HelmCli helm, KubectlCli kubectl, ApiServerAddresses apiServer, StoreCatalog catalog, StoreProvisioningOptions options)
{
    /// <param name="adoptUnlabelled">See <see cref="NamespaceOwnership.Decide"/>: true for an existing store's upgrade or retry.</param>
    public virtual async Task<IsolationResult> ApplyAsync(Store store, bool adoptUnlabelled, CancellationToken cancellationToken)
    {
        // The render reads nothing of the namespace, so it runs beside the ownership read (one launch less per store);
        // a refused namespace discards it.
        var plan = catalog.FindPlan(store.Plan);
        var render = plan is null ? null : RenderAsync(store, plan, cancellationToken);
        string? refusal;
        try
        {
            using var current = await kubectl.GetNamespaceAsync(store.Namespace, cancellationToken).ConfigureAwait(false);
            var (claim, reason) = NamespaceOwnership.Decide(current?.RootElement, store.Id, store.Name, adoptUnlabelled);
            refusal = claim is NamespaceClaim.Foreign or NamespaceClaim.Terminating ? reason : null;
        }
        catch
        {
            await DiscardAsync(render).ConfigureAwait(false);
            throw;
        }

        if (refusal is not null)
        {
            await DiscardAsync(render).ConfigureAwait(false);
            return new IsolationResult(refusal);
        }

        if (plan is null)
        {
            return new IsolationResult($"plan '{store.Plan}' is not in the catalog (CATALOG_PATH); plans: {string.Join(", ", catalog.Plans.Select(p => p.Name))}");
        }

        var phases = PlatformApplyPhases.Split(await render!.ConfigureAwait(false));
        await kubectl.ApplyAsync(phases.Access, cancellationToken, store.Namespace).ConfigureAwait(false);
        await ApplyContentsAsync(store, phases, cancellationToken).ConfigureAwait(false);
        return new IsolationResult(null);
    }

    // Waits for a render that is no longer wanted, so no helm outlives the step; its failure no longer matters.
    private static async Task DiscardAsync(Task<string>? render)
    {
        if (render is null)
        {
            return;
        }

        try
        {
            await render.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliCommandException or OperationCanceledException)
        {
        }
    }

    /// <summary>How long to wait before each repeat of the second apply while a fresh RoleBinding is not yet in force.</summary>
    private static readonly TimeSpan[] AccessPropagationWaits = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    // The API server authorizes from a cache of RoleBindings: right after the first apply created the binding, the
    // second may still be refused ("forbidden"). Only then is it repeated, a few times, briefly.
    private async Task ApplyContentsAsync(Store store, PlatformApplyPhases phases, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await kubectl.ApplyAsync(phases.Contents, cancellationToken, store.Namespace).ConfigureAwait(false);
                return;
            }
            catch (CliCommandException ex) when (phases.GrantsAccess && attempt < AccessPropagationWaits.Length && IsForbidden(ex))
            {
                await Task.Delay(AccessPropagationWaits[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsForbidden(CliCommandException ex) =>
        ex.Failure == CliFailure.ExitCode && (ex.Result?.StandardError ?? ex.Message).Contains("forbidden", StringComparison.OrdinalIgnoreCase);

    /// <summary>The platform chart rendered for this store (plan file first, then the control plane's values).</summary>
    public async Task<string> RenderAsync(Store store, CatalogPlan plan, CancellationToken cancellationToken)
    {
        var apiServerCidrs = await apiServer.GetAsync(cancellationToken).ConfigureAwait(false);
        using var values = PrivateValuesFile.Write("platform-values.json", PlatformValues.Build(store, options, apiServerCidrs));
        return await helm.TemplateAsync(store.Release, options.PlatformChartPath, store.Namespace, [plan.NamespaceValuesFile, values.Path], null, cancellationToken)
            .ConfigureAwait(false);
    }
}

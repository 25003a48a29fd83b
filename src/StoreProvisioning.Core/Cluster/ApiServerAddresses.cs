using StoreProvisioning.Configuration;

namespace StoreProvisioning.Cluster;

/// <summary>
/// The API server's addresses as /32 CIDRs, which store namespaces may never reach: API_SERVER_CIDRS when set (or
/// nothing while isolation is off), otherwise read from the cluster (`kubectl get endpoints kubernetes`) and kept for
/// <see cref="Fresh"/>. They move only when the cluster's control plane does; reading them once a minute instead of once
/// per install spares a burst one kubectl launch per store. A failed read is not kept: the next store asks again.
/// </summary>
public sealed class ApiServerAddresses(KubectlCli kubectl, StoreProvisioningOptions options, TimeProvider clock)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim reading = new(1, 1);
    private (IReadOnlyList<string> Cidrs, DateTimeOffset ReadAt)? last;

    public async Task<IReadOnlyList<string>> GetAsync(CancellationToken cancellationToken)
    {
        if (options.ApiServerCidrs.Count > 0 || !options.IsolationEnabled)
        {
            return options.ApiServerCidrs;
        }

        if (Current() is { } cached)
        {
            return cached;
        }

        await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } readMeanwhile)
            {
                return readMeanwhile;
            }

            var cidrs = await kubectl.GetApiServerCidrsAsync(cancellationToken).ConfigureAwait(false);
            last = (cidrs, clock.GetUtcNow());
            return cidrs;
        }
        finally
        {
            reading.Release();
        }
    }

    private IReadOnlyList<string>? Current() =>
        last is { } read && clock.GetUtcNow() - read.ReadAt < Fresh ? read.Cidrs : null;
}

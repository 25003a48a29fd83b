using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// At start-up: makes the stored bootstrap admin key match BOOTSTRAP_ADMIN_KEY (so scripts, CI and the README's run
/// command have a first key), and warns loudly when AUTH_MODE=none leaves the API open.
/// </summary>
public sealed class BootstrapAdminKey(AuthOptions options, ApiKeyRepository keys, ILogger<BootstrapAdminKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Mode == AuthMode.None)
        {
            logger.LogWarning(
                "AUTH_MODE=none with ALLOW_ANONYMOUS=true: AUTHENTICATION IS OFF. Every caller is an anonymous operator who can see, change and delete every store. Use this only for local experiments.");
        }

        try
        {
            await keys.EnsureBootstrapAsync(options.BootstrapAdminKey, cancellationToken);
            if (options.BootstrapAdminKey is not null)
            {
                logger.LogInformation("The admin key from BOOTSTRAP_ADMIN_KEY is active (user '{UserId}').", AuthOptions.BootstrapAdminUserId);
            }
        }
        catch (System.Data.Common.DbException ex)
        {
            // An unusable database is reported by health and every API call; start anyway so they can say so.
            logger.LogError(ex, "Could not store the BOOTSTRAP_ADMIN_KEY admin key; the database is unusable.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Threading.RateLimiting;
using StoreProvisioning.Configuration;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// RATE_LIMIT_WRITES_PER_MINUTE per caller with the user role: a fixed one-minute window per user id. Every write
/// request takes a permit before anything else looks at it, so refused writes count too. Operators and admins
/// (automation) are not limited. The counters live in this process, which is fine for the single instance SQLite allows.
/// </summary>
public sealed class WriteRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public WriteRateLimiter(AuthOptions options)
    {
        limiter = PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetFixedWindowLimiter(
            userId,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.WritesPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public static bool IsWrite(string method) =>
        HttpMethodsOf.Write.Contains(method);

    /// <summary>Null when the write may go ahead; otherwise how long until the caller may write again.</summary>
    public TimeSpan? TryTake(Caller caller)
    {
        if (caller.Role != Role.User)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(caller.UserId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => limiter.Dispose();

    private static class HttpMethodsOf
    {
        public static readonly IReadOnlySet<string> Write = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH", "DELETE" };
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StoreProvisioning.Functions.Notifications;

/// <summary>
/// How an event is signed (README, "Notifications"): HMAC-SHA256 with NOTIFY_WEBHOOK_SECRET over
/// "{timestamp}.{body}", sent as <see cref="SignatureHeader"/> <c>sha256=&lt;hex&gt;</c>, the Unix timestamp in
/// <see cref="TimestampHeader"/>. Signing the timestamp with the body lets a receiver refuse replays of an old event.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Store-Signature";
    public const string TimestampHeader = "X-Store-Timestamp";

    public static string Sign(string secret, long timestamp, string body)
    {
        var payload = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }

    /// <summary>What a receiver does: same signature (compared in constant time) and a timestamp within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signature is null)
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, seconds, body)), Encoding.ASCII.GetBytes(signature));
    }
}

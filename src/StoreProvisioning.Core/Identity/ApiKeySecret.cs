using System.Security.Cryptography;
using System.Text;

namespace StoreProvisioning.Identity;

/// <summary>
/// API key material: a new key is "spk_" + 32 random bytes (base64url). Only its SHA-256 hash and a short lookup
/// prefix are stored; a presented key is found by prefix and checked against the hash in constant time. A key has
/// 256 bits of entropy, so a fast hash is enough (nothing to brute-force).
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "spk_";
    public const int RandomBytes = 32;

    /// <summary>How many leading characters of a key are stored in clear to find its row.</summary>
    public const int PrefixLength = 12;

    /// <summary>The shortest key accepted at all (BOOTSTRAP_ADMIN_KEY is checked against it too).</summary>
    public const int MinimumLength = 32;

    public static string Generate() =>
        Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(RandomBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string PrefixOf(string key) => key.Length <= PrefixLength ? key : key[..PrefixLength];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Whether <paramref name="presented"/> hashes to <paramref name="storedHash"/>, in time independent of where they differ.</summary>
    public static bool Matches(string presented, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), storedHash);
}

using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace StoreProvisioning.Persistence;

/// <summary>
/// Where the next page of the store list starts: after the store created at <see cref="CreatedAt"/> with insertion
/// position <see cref="Position"/> (the list is newest first). Opaque to clients: base64url of both numbers and a
/// checksum over them and the list's filter, so an edited, truncated or other-filter cursor is refused. The cursor
/// grants nothing: the owner filter is applied on every page.
/// </summary>
public sealed record StoreCursor(long CreatedAt, long Position)
{
    private const int ChecksumLength = 8;

    /// <summary>The opaque text for a list with the given filter (userId/status as the query had them).</summary>
    public string Encode(string filter)
    {
        var bytes = new byte[16 + ChecksumLength];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), Position);
        Checksum(bytes.AsSpan(0, 16), filter).CopyTo(bytes.AsSpan(16));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The cursor in <paramref name="text"/>, or null when it is not one this API issued for this filter.</summary>
    public static StoreCursor? TryDecode(string text, string filter)
    {
        if (text.Length > 64 || !Base64Url.IsValid(text))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(text);
        if (bytes.Length != 16 + ChecksumLength
            || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(16), Checksum(bytes.AsSpan(0, 16), filter)))
        {
            return null;
        }

        return new StoreCursor(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
    }

    private static byte[] Checksum(ReadOnlySpan<byte> position, string filter)
    {
        var input = new byte[position.Length + Encoding.UTF8.GetByteCount(filter) + 10];
        var written = Encoding.UTF8.GetBytes("cursor.v1\n", input);
        position.CopyTo(input.AsSpan(written));
        Encoding.UTF8.GetBytes(filter, input.AsSpan(written + position.Length));
        return SHA256.HashData(input)[..ChecksumLength];
    }
}

/// <summary>One page of the store list and where the next one starts (null on the last page).</summary>
public sealed record StorePage(IReadOnlyList<Stores.Store> Stores, StoreCursor? Next);

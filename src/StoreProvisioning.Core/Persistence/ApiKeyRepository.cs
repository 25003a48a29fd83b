using System.Data.Common;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Persistence;

/// <summary>
/// API keys in the metadata database: each row holds the key's SHA-256 hash and its first characters for lookup, never the key.
/// Revoking deletes the row, so the next request with that key is refused.
/// </summary>
public sealed class ApiKeyRepository(MetadataDatabase database, TimeProvider clock)
{
    /// <summary>The id of the key BOOTSTRAP_ADMIN_KEY defines.</summary>
    public const string BootstrapKeyId = "bootstrap";

    private const string Columns = "id, user_id, role, name, created_at, expires_at";

    /// <summary>Creates a key; the returned secret is the only copy there will ever be.</summary>
    public async Task<IssuedApiKey> CreateAsync(string userId, Role role, string? name, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        var secret = ApiKeySecret.Generate();
        var key = new ApiKey("key_" + Guid.NewGuid().ToString("N")[..16], userId, role, name, clock.GetUtcNow(), expiresAt);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, key, secret, cancellationToken).ConfigureAwait(false);
        return new IssuedApiKey(key, secret);
    }

    /// <summary>Every key's metadata, newest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys ORDER BY created_at DESC, {database.InsertionOrder} DESC";
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a key; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, "DELETE FROM api_keys WHERE id = @id", ("@id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The unexpired key whose hash matches what was presented, or null.</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (presented.Length < ApiKeySecret.MinimumLength)
        {
            return null;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Sql.Command(connection, $"SELECT {Columns}, hash FROM api_keys WHERE prefix = @prefix", ("@prefix", ApiKeySecret.PrefixOf(presented)));
        ApiKey? found = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Every candidate is compared, so the time taken does not say which one matched.
            var candidate = Read(reader);
            if (ApiKeySecret.Matches(presented, (byte[])reader.GetValue(6)))
            {
                found = candidate;
            }
        }

        return found is not null && !found.IsExpired(clock.GetUtcNow()) ? found : null;
    }

    /// <summary>
    /// Makes the bootstrap admin key match BOOTSTRAP_ADMIN_KEY: replaced when the setting changed, removed when it is
    /// no longer set (so unsetting it revokes it).
    /// </summary>
    public async Task EnsureBootstrapAsync(string? secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, "DELETE FROM api_keys WHERE id = @id", cancellationToken, ("@id", BootstrapKeyId)).ConfigureAwait(false);

        if (secret is not null)
        {
            var key = new ApiKey(BootstrapKeyId, Configuration.AuthOptions.BootstrapAdminUserId, Role.Admin, "BOOTSTRAP_ADMIN_KEY", clock.GetUtcNow(), null);
            await InsertAsync(connection, key, secret, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task<int> InsertAsync(DbConnection connection, ApiKey key, string secret, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(
            connection,
            """
            INSERT INTO api_keys (id, prefix, hash, user_id, role, name, created_at, expires_at)
            VALUES (@id, @prefix, @hash, @user, @role, @name, @created, @expires)
            """,
            cancellationToken,
            ("@id", key.Id), ("@prefix", ApiKeySecret.PrefixOf(secret)), ("@hash", ApiKeySecret.Hash(secret)), ("@user", key.UserId), ("@role", key.Role.Name()),
            ("@name", key.Name), ("@created", key.CreatedAt.ToUnixTimeMilliseconds()), ("@expires", key.ExpiresAt?.ToUnixTimeMilliseconds()));

    private static async Task<IReadOnlyList<ApiKey>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    private static ApiKey Read(DbDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        Roles.TryParse(r.GetString(2), out var role) ? role : Role.User,
        r.IsDBNull(3) ? null : r.GetString(3),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)),
        r.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)));
}

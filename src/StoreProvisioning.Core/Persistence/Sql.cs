using System.Data.Common;

namespace StoreProvisioning.Persistence;

/// <summary>
/// Commands on either engine through plain ADO.NET. Parameters are written @name in the SQL (both engines bind them);
/// a null becomes an untyped NULL, so SQL that tests a parameter for NULL casts it first (CAST(@x AS TEXT) IS NULL).
/// </summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, string text, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>A whole number from any integer or numeric column (SQLite gives long, PostgreSQL int, bigint or numeric).</summary>
    public static long Long(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
}

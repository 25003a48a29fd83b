using System.Text.RegularExpressions;
using Npgsql;
using StoreProvisioning.Persistence;

namespace StoreProvisioning.Core.Tests.Support;

/// <summary>
/// The PostgreSQL the repository contract tests run against: scripts/with-postgres.sh starts a throwaway cluster and
/// passes its connection string in TEST_POSTGRES_CONNECTION. Each harness gets a schema of its own (search_path), so
/// test classes run in parallel on one server. Without that variable the PostgreSQL tests fail, saying how to run them.
/// </summary>
public static partial class PostgresTestServer
{
    public const string Variable = "TEST_POSTGRES_CONNECTION";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL repository tests cannot run. Run them through scripts/with-postgres.sh "
                + "(e.g. scripts/with-postgres.sh dotnet test tests/StoreProvisioning.Core.Tests), which starts a throwaway PostgreSQL, "
                + "or leave them out explicitly with --filter \"Database!=PostgreSQL\".");

    public static Schema CreateSchema()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
            command.ExecuteNonQuery();
        }

        return new Schema(name, new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = name }.ConnectionString);
    }

    /// <summary>One test's schema; dropped (with everything in it) on dispose.</summary>
    public sealed class Schema(string name, string connectionString) : IDisposable
    {
        private readonly List<PostgresDatabase> opened = [];

        public string Name { get; } = name;

        public string ConnectionString { get; } = connectionString;

        public PostgresDatabase Open()
        {
            var database = new PostgresDatabase(ConnectionString);
            lock (opened)
            {
                opened.Add(database);
            }

            return database;
        }

        /// <summary>One scalar query on a connection of its own; $name parameters as the SQLite tests write them.</summary>
        public object? Scalar(string sql, (string Name, object Value)[] parameters)
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(Dollar().Replace(sql, "@$1"), connection);
            foreach (var (key, value) in parameters)
            {
                command.Parameters.AddWithValue(key.TrimStart('$'), value);
            }

            return command.ExecuteScalar();
        }

        public void Dispose()
        {
            foreach (var database in opened)
            {
                database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            using var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA {Name} CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }

    [GeneratedRegex(@"\$([a-z_][a-z0-9_]*)")]
    private static partial Regex Dollar();
}

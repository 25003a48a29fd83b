namespace StoreProvisioning.Configuration;

/// <summary>STORE_DATABASE: which metadata store the control plane uses.</summary>
public enum StoreDatabaseKind
{
    /// <summary>The embedded SQLite file at SQLITE_PATH: one instance only.</summary>
    Sqlite,

    /// <summary>PostgreSQL at POSTGRES_CONNECTION: any number of instances.</summary>
    Postgres,
}

/// <summary>A setting that may hold a credential: readable by code, never printed (records print their members).</summary>
public sealed class HiddenSetting(string value)
{
    public string Value { get; } = value;

    public override string ToString() => "(hidden)";
}

namespace StoreProvisioning.Configuration;

/// <summary>LOG_FORMAT: how the console writes log lines.</summary>
public enum LogFormat
{
    /// <summary>The default console format, one human-readable line per message.</summary>
    Text,

    /// <summary>The JSON console formatter, one JSON object per line, with the scopes (store, operationId, traceId).</summary>
    Json,
}

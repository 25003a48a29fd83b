namespace StoreProvisioning.Stores;

/// <summary>
/// The one place that spells enums and timestamps the way the API, the database and helm see them.
/// </summary>
public static class Wire
{
    public static string Name(this StoreStatus status) => status.ToString().ToUpperInvariant();

    public static string Name(this StoreOperation operation) => operation.ToString().ToLowerInvariant();

    /// <summary>The chart folder name and API value: "woocommerce" or "medusa".</summary>
    public static string Name(this StoreEngine engine) => engine.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string? text, out StoreStatus status) => TryParse(text, out status);

    public static bool TryParseOperation(string? text, out StoreOperation operation) => TryParse(text, out operation);

    public static bool TryParseEngine(string? text, out StoreEngine engine) => TryParse(text, out engine);

    public static StoreStatus ParseStatus(string text) => Parse<StoreStatus>(text);

    public static StoreOperation ParseOperation(string text) => Parse<StoreOperation>(text);

    public static StoreEngine ParseEngine(string text) => Parse<StoreEngine>(text);

    /// <summary>ISO-8601 in UTC with second precision, e.g. 2026-11-26T09:30:00Z.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}.");

    private static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        // Only exact wire spellings: no numbers, no whitespace, letters only.
        if (string.IsNullOrEmpty(text) || !text.All(char.IsAsciiLetter))
        {
            return false;
        }

        return Enum.TryParse(text, ignoreCase: true, out value);
    }
}

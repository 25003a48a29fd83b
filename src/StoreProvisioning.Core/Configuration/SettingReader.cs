using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace StoreProvisioning.Configuration;

/// <summary>
/// Reads single app settings the same way for every options class: blank means unset, and a bad value adds one
/// sentence naming the setting to the errors list (start-up then fails listing all of them).
/// </summary>
internal static class SettingReader
{
    public static string? Text(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static int Number(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = Text(configuration, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key}='{text}' must be a whole number from {min} to {max}.");
        return fallback;
    }
}

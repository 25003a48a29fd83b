using System.Globalization;
using System.Text.Json;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Validation;

/// <summary>POST /api/keys, validated.</summary>
public sealed record CreateKeyRequest(string UserId, Role Role, string? Name, DateTimeOffset? ExpiresAt);

/// <summary>Validates POST /api/keys bodies: {"userId", "role", "name"?, "expiresAt"?}, nothing else.</summary>
public static class KeyRequestValidator
{
    public const int MaxNameLength = 100;

    public static Validated<CreateKeyRequest> Create(JsonElement? maybeBody, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (maybeBody is not { ValueKind: JsonValueKind.Object } body)
        {
            Add("userId", "userId is required.");
            Add("role", "role is required.");
            return Validated<CreateKeyRequest>.Fail(errors);
        }

        foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("userId" or "role" or "name" or "expiresAt")))
        {
            Add(property.Name, $"'{Printable(property.Name)}' is not a field of this request; send only userId, role, name and expiresAt.");
        }

        string? userId = null;
        if (!body.TryGetProperty("userId", out var userValue) || userValue.ValueKind != JsonValueKind.String)
        {
            Add("userId", "userId is required and must be a string.");
        }
        else if (StoreRules.CheckUserId(userValue.GetString()!) is { } problem)
        {
            Add("userId", problem);
        }
        else
        {
            userId = userValue.GetString();
        }

        var role = Role.User;
        if (!body.TryGetProperty("role", out var roleValue) || roleValue.ValueKind != JsonValueKind.String
            || !Roles.TryParse(roleValue.GetString(), out role) || roleValue.GetString() != role.Name())
        {
            Add("role", "role is required: \"user\", \"operator\" or \"admin\".");
        }

        string? name = null;
        if (body.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null)
        {
            name = nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
            if (name is null || name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
            {
                Add("name", $"name must be 1 to {MaxNameLength} printable characters.");
                name = null;
            }
        }

        DateTimeOffset? expiresAt = null;
        if (body.TryGetProperty("expiresAt", out var expiresValue) && expiresValue.ValueKind != JsonValueKind.Null)
        {
            if (expiresValue.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(expiresValue.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                Add("expiresAt", "expiresAt must be an ISO-8601 timestamp, e.g. 2027-01-31T00:00:00Z.");
            }
            else if (parsed <= now)
            {
                Add("expiresAt", "expiresAt must be in the future.");
            }
            else
            {
                expiresAt = parsed;
            }
        }

        return errors.Count > 0
            ? Validated<CreateKeyRequest>.Fail(errors)
            : Validated<CreateKeyRequest>.Ok(new CreateKeyRequest(userId!, role, name, expiresAt));
    }

    private static string Printable(string text) => new(text.Where(c => !char.IsControl(c)).Take(64).ToArray());
}

using System.Globalization;
using System.Text.Json;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;

namespace StoreProvisioning.Validation;

/// <summary>
/// Turns request bodies and query strings into typed requests, or into per-field errors. Strict: unknown fields,
/// wrong types and out-of-range values are refused, so a typo never silently becomes a default.
/// </summary>
public static class RequestValidator
{
    /// <summary>How deep an upgrade's value overrides may nest; charts' values are never deeper.</summary>
    public const int MaxValuesDepth = 12;

    /// <summary>
    /// Create body: {"storeName", "userId", "engine"?}; a missing body is missing the required fields. userId is
    /// required of operators and admins (they create on someone's behalf); a user may leave it out.
    /// </summary>
    public static Validated<CreateStoreRequest> Create(JsonElement? maybeBody, bool userIdRequired = true)
    {
        var errors = new Dictionary<string, List<string>>();
        if (maybeBody is not { } body)
        {
            Add(errors, "storeName", "storeName is required.");
            if (userIdRequired)
            {
                Add(errors, "userId", "userId is required.");
            }

            return Validated<CreateStoreRequest>.Fail(errors);
        }

        if (!RequireObject(body, errors))
        {
            return Validated<CreateStoreRequest>.Fail(errors);
        }

        RejectUnknown(body, errors, "storeName", "userId", "engine");
        var name = RequiredString(body, "storeName", errors, StoreRules.CheckName);
        var user = userIdRequired || (body.TryGetProperty("userId", out var userValue) && userValue.ValueKind != JsonValueKind.Null)
            ? RequiredString(body, "userId", errors, StoreRules.CheckUserId)
            : null;
        var engine = StoreEngine.WooCommerce;
        if (body.TryGetProperty("engine", out var engineValue) && engineValue.ValueKind != JsonValueKind.Null)
        {
            if (engineValue.ValueKind != JsonValueKind.String || !Wire.TryParseEngine(engineValue.GetString(), out engine)
                || engineValue.GetString() != engine.Name())
            {
                Add(errors, "engine", "engine must be \"woocommerce\" or \"medusa\".");
            }
        }

        return errors.Count > 0 ? Validated<CreateStoreRequest>.Fail(errors) : Validated<CreateStoreRequest>.Ok(new CreateStoreRequest(name!, user, engine));
    }

    /// <summary>
    /// Upgrade body: absent, {} or {"values": {...}}. Returns the values as JSON, or null. Only the shape is checked
    /// here; which keys a caller may set is the tenant boundary's (<see cref="Catalog.UpgradeValuesPolicy"/>).
    /// </summary>
    public static Validated<string?> Upgrade(JsonElement? body)
    {
        var errors = new Dictionary<string, List<string>>();
        if (body is not { } root)
        {
            return Validated<string?>.Ok(null);
        }

        if (!RequireObject(root, errors))
        {
            return Validated<string?>.Fail(errors);
        }

        RejectUnknown(root, errors, "values");
        if (!root.TryGetProperty("values", out var values) || values.ValueKind == JsonValueKind.Null)
        {
            return errors.Count > 0 ? Validated<string?>.Fail(errors) : Validated<string?>.Ok(null);
        }

        if (values.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "values", "values must be an object of settings, e.g. {\"plan\": \"medium\"}.");
        }
        else if (Depth(values) > MaxValuesDepth)
        {
            Add(errors, "values", $"values nest deeper than {MaxValuesDepth} levels.");
        }

        return errors.Count > 0 ? Validated<string?>.Fail(errors) : Validated<string?>.Ok(values.GetRawText());
    }

    /// <summary>Rollback body: absent, {} or {"revision": n} with n a whole number ≥ 1.</summary>
    public static Validated<int?> Rollback(JsonElement? body)
    {
        var errors = new Dictionary<string, List<string>>();
        if (body is not { } root)
        {
            return Validated<int?>.Ok(null);
        }

        if (!RequireObject(root, errors))
        {
            return Validated<int?>.Fail(errors);
        }

        RejectUnknown(root, errors, "revision");
        int? revision = null;
        if (root.TryGetProperty("revision", out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 1)
            {
                revision = n;
            }
            else
            {
                Add(errors, "revision", "revision must be a whole number of at least 1.");
            }
        }

        return errors.Count > 0 ? Validated<int?>.Fail(errors) : Validated<int?>.Ok(revision);
    }

    /// <summary>Retry and delete take no body: absent or {}.</summary>
    public static Validated<bool> Empty(JsonElement? body)
    {
        var errors = new Dictionary<string, List<string>>();
        if (body is { } root && RequireObject(root, errors))
        {
            RejectUnknown(root, errors);
        }

        return errors.Count > 0 ? Validated<bool>.Fail(errors) : Validated<bool>.Ok(true);
    }

    /// <summary>GET /api/stores filters.</summary>
    public static Validated<(string? UserId, StoreStatus? Status)> ListFilter(string? userId, string? status)
    {
        var errors = new Dictionary<string, List<string>>();
        if (userId is not null && StoreRules.CheckUserId(userId) is { } userError)
        {
            Add(errors, "userId", userError);
        }

        StoreStatus? parsed = null;
        if (status is not null)
        {
            if (Wire.TryParseStatus(status, out var s) && string.Equals(s.Name(), status, StringComparison.OrdinalIgnoreCase))
            {
                parsed = s;
            }
            else
            {
                Add(errors, "status", "status must be one of NEW, PROVISIONING, READY, FAILED, DELETING.");
            }
        }

        return errors.Count > 0
            ? Validated<(string?, StoreStatus?)>.Fail(errors)
            : Validated<(string?, StoreStatus?)>.Ok((userId, parsed));
    }

    /// <summary>
    /// GET /api/stores paging: limit 1..500 (default 100) and an optional cursor from a previous page's Link header,
    /// which must have been issued for the same <paramref name="filter"/> (see <see cref="StoreCursor"/>).
    /// </summary>
    public static Validated<(int Limit, StoreCursor? After)> StorePage(string? limit, string? cursor, string filter)
    {
        var errors = new Dictionary<string, List<string>>();
        var parsedLimit = DefaultStorePageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit) || parsedLimit is < 1 or > MaxStorePageSize))
        {
            Add(errors, "limit", $"limit must be a whole number from 1 to {MaxStorePageSize}.");
        }

        StoreCursor? after = null;
        if (cursor is not null && (after = StoreCursor.TryDecode(cursor, filter)) is null)
        {
            Add(errors, "cursor", "cursor is not one this API issued for this listing; follow the Link header of the previous page, or start again without a cursor.");
        }

        return errors.Count > 0
            ? Validated<(int, StoreCursor?)>.Fail(errors)
            : Validated<(int, StoreCursor?)>.Ok((parsedLimit, after));
    }

    /// <summary>The largest revision number the API accepts in a URL (helm numbers revisions from 1 upwards).</summary>
    public const int MaxRevision = 1_000_000;

    /// <summary>A helm revision in a URL (GET …/revisions/{revision}/values): a whole number from 1 to <see cref="MaxRevision"/>, digits only.</summary>
    public static Validated<int> Revision(string? revision)
    {
        if (revision is not null && revision.Length <= 7 && revision.All(char.IsAsciiDigit) && revision[0] != '0'
            && int.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxRevision)
        {
            return Validated<int>.Ok(n);
        }

        var errors = new Dictionary<string, List<string>>();
        Add(errors, "revision", $"revision must be a whole number from 1 to {MaxRevision} (GET /api/stores/{{name}}/revisions lists them).");
        return Validated<int>.Fail(errors);
    }

    public const int DefaultStorePageSize = 100;

    public const int MaxStorePageSize = 500;

    /// <summary>GET /api/stores/activity: limit 1..500 (default 50) and an optional store name.</summary>
    public static Validated<(int Limit, string? Store)> ActivityQuery(string? limit, string? store)
    {
        var errors = new Dictionary<string, List<string>>();
        var parsedLimit = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit) || parsedLimit is < 1 or > 500))
        {
            Add(errors, "limit", "limit must be a whole number from 1 to 500.");
        }

        if (store is not null && StoreRules.CheckName(store) is { } nameError)
        {
            Add(errors, "store", nameError.Replace("storeName", "store", StringComparison.Ordinal));
        }

        return errors.Count > 0
            ? Validated<(int, string?)>.Fail(errors)
            : Validated<(int, string?)>.Ok((parsedLimit, store));
    }

    private static bool RequireObject(JsonElement body, Dictionary<string, List<string>> errors)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Add(errors, "$", $"The request body must be a JSON object, not {Describe(body.ValueKind)}.");
        return false;
    }

    private static void RejectUnknown(JsonElement body, Dictionary<string, List<string>> errors, params string[] known)
    {
        foreach (var property in body.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            var expected = known.Length == 0 ? "This request takes no fields." : $"Expected only: {string.Join(", ", known)}.";
            Add(errors, Printable(property.Name), $"Unknown field. {expected}");
        }
    }

    private static string? RequiredString(JsonElement body, string field, Dictionary<string, List<string>> errors, Func<string, string?> check)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Add(errors, field, $"{field} is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(errors, field, $"{field} must be a string, not {Describe(value.ValueKind)}.");
            return null;
        }

        var text = value.GetString()!;
        if (check(text) is { } problem)
        {
            Add(errors, field, problem);
            return null;
        }

        return text;
    }

    private static int Depth(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    // Field names come from the client: keep them readable and short in the errors map.
    private static string Printable(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length == 0 ? "(unnamed field)" : clean;
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
    }
}

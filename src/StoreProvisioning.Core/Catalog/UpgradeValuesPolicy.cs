using System.Text.Json;
using System.Text.Json.Nodes;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Catalog;

/// <summary>Who is asking for values: tenants choose from the catalog; operators (and admins) may also tune the chart.</summary>
public enum ValuesAuthority
{
    /// <summary>A store owner: only the tenant settings of <see cref="UpgradeValuesPolicy.TenantSettings"/>.</summary>
    Tenant,

    /// <summary>An operator or admin: the tenant settings plus the engine's operator settings.</summary>
    Operator,
}

/// <summary>Upgrade values that passed the policy: the JSON to keep for the operation (and its retry), and the plan it asks for.</summary>
public sealed record AcceptedValues(string Json, string? Plan);

/// <summary>
/// The tenant boundary for upgrade values, decided before any helm call. Tenants may set a few settings per engine
/// (plan, version from the catalog, ...); operators may also set chart keys from a wider allow-list; nobody may set
/// images (only through <c>version</c>), security contexts, isolation switches, the Service type, annotations or the
/// values the control plane owns. Every rejected key gets its own error, named by its path under <c>values</c>.
/// </summary>
public static partial class UpgradeValuesPolicy
{
    public const int StoreTitleMaxLength = 100;

    /// <summary>What a store owner may send, per engine. The dashboard's form offers exactly these.</summary>
    public static IReadOnlyList<string> TenantSettings(StoreEngine engine) => engine == StoreEngine.WooCommerce
        ? ["plan", "version", "storeTitle"]
        : ["plan", "version", "replicas"];

    /// <summary>Chart value paths an operator may also set, per engine (a path allows everything under it).</summary>
    public static IReadOnlyList<string> OperatorSettings(StoreEngine engine) => engine == StoreEngine.WooCommerce
        ?
        [
            "replicaCount", "resources", "persistence.size", "persistence.storageClass", "persistence.accessModes",
            "ingress.enabled", "ingress.className", "service.port",
            "mariadb.resources", "mariadb.persistence.size", "mariadb.persistence.storageClass",
            "setup.woocommerceVersion", "setup.storeTitle", "setup.adminUser", "setup.sampleProduct", "setup.resources",
            "setup.backoffLimit", "setup.activeDeadlineSeconds", "tests.resources",
        ]
        :
        [
            "replicaCount", "resources", "cors.store", "cors.admin", "cors.auth",
            "ingress.enabled", "ingress.className", "service.port", "migrations.resources",
            "adminUser.resources", "adminUser.backoffLimit", "adminUser.activeDeadlineSeconds",
            "postgresql.resources", "postgresql.persistence.size", "postgresql.persistence.storageClass",
            "redis.resources", "tests.resources",
        ];

    /// <summary>Checks upgrade values for a store of <paramref name="engine"/> on <paramref name="currentPlan"/>.</summary>
    public static Validated<AcceptedValues> Check(StoreEngine engine, JsonElement values, ValuesAuthority authority, StoreCatalog catalog, string currentPlan)
    {
        var errors = new Dictionary<string, List<string>>();
        if (values.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "values", "values must be an object of settings, e.g. {\"plan\": \"medium\"}.");
            return Validated<AcceptedValues>.Fail(errors);
        }

        var tenant = TenantSettings(engine);
        var operatorPaths = OperatorSettings(engine);
        string? plan = null;
        foreach (var property in values.EnumerateObject())
        {
            var key = property.Name;
            var field = $"values.{Printable(key)}";
            if (key is "store" or "credentials")
            {
                Add(errors, field, $"{field} is set by the control plane and cannot be overridden.");
                continue;
            }

            var forbidden = Forbidden(key, property.Value, key, allowImages: false).ToList();
            if (forbidden.Count > 0)
            {
                foreach (var (path, message) in forbidden)
                {
                    Add(errors, $"values.{path}", message);
                }

                continue;
            }

            if (tenant.Contains(key))
            {
                if (CheckTenantSetting(engine, key, property.Value, catalog, values, currentPlan) is { } problem)
                {
                    Add(errors, field, problem);
                }
                else if (key == "plan")
                {
                    plan = property.Value.GetString();
                }

                continue;
            }

            var leaves = Leaves(key, property.Value).ToList();
            var operatorKey = leaves.All(leaf => IsUnder(leaf, operatorPaths));
            if (operatorKey && authority == ValuesAuthority.Operator)
            {
                continue;
            }

            if (operatorKey || leaves.Any(leaf => IsUnder(leaf, operatorPaths)))
            {
                if (authority == ValuesAuthority.Tenant)
                {
                    Add(errors, field, $"Only operators may set {key}. A store owner may set: {string.Join(", ", tenant)}.");
                    continue;
                }

                foreach (var leaf in leaves.Where(leaf => !IsUnder(leaf, operatorPaths)))
                {
                    Add(errors, $"values.{leaf}", $"Not an operator setting of {engine.Name()}. Operators may set: {string.Join(", ", operatorPaths)}.");
                }

                continue;
            }

            Add(errors, field, authority == ValuesAuthority.Tenant
                ? $"Unknown setting. A store owner may set: {string.Join(", ", tenant)}."
                : $"Unknown setting. Settings: {string.Join(", ", tenant)}; operator settings: {string.Join(", ", operatorPaths)}.");
        }

        return errors.Count > 0
            ? Validated<AcceptedValues>.Fail(errors)
            : Validated<AcceptedValues>.Ok(new AcceptedValues(values.GetRawText(), plan));
    }

    /// <summary>Forbidden keys anywhere in a values tree (used for the operator's own catalog file too), as "path: why".</summary>
    public static IEnumerable<string> ForbiddenIn(JsonObject values, bool allowImages)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        foreach (var property in document.RootElement.EnumerateObject())
        {
            foreach (var (path, message) in Forbidden(property.Name, property.Value, property.Name, allowImages))
            {
                yield return $"{path}: {message}";
            }
        }
    }

    /// <summary>
    /// The chart value paths of a revision a store's owner may see (a path shows everything under it): the paths their
    /// own settings reach (<see cref="ChartOverrides.SettingPaths"/> of <see cref="TenantSettings"/>) and every path the
    /// catalog's plans and versions set for the engine (what <c>plan</c> and <c>version</c> choose). Nothing else.
    /// </summary>
    public static IReadOnlyList<string> TenantVisiblePaths(StoreEngine engine, StoreCatalog catalog)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var setting in TenantSettings(engine))
        {
            if (ChartOverrides.SettingPaths.TryGetValue(setting, out var path))
            {
                paths.Add(path);
            }
        }

        var chosen = catalog.Plans.Select(p => p.Values.TryGetValue(engine, out var v) ? v : null)
            .Concat(catalog.For(engine).Versions.Select(v => v.Values));
        foreach (var values in chosen.OfType<JsonObject>())
        {
            using var document = JsonDocument.Parse(values.ToJsonString());
            foreach (var property in document.RootElement.EnumerateObject())
            {
                paths.UnionWith(Leaves(property.Name, property.Value));
            }
        }

        return [.. paths];
    }

    /// <summary>
    /// What a store's owner may see of a revision's values (GET …/revisions/{n}/values, the upgrade preview), deny by
    /// default: only leaves under <see cref="TenantVisiblePaths"/>, never the control plane's <c>store</c> and
    /// <c>credentials</c>, and never a key whose name says it is a secret (password, secret, token, ...), wherever it
    /// sits. Operators see the same: the API returns no more than this for anyone. Pure; a new object.
    /// </summary>
    public static JsonObject TenantVisible(StoreEngine engine, StoreCatalog catalog, JsonObject values)
    {
        var visible = TenantVisiblePaths(engine, catalog);
        var result = new JsonObject();
        foreach (var (key, node) in values)
        {
            if (key is "store" or "credentials")
            {
                continue;
            }

            if (Visible(key, node, visible) is { } kept)
            {
                result[key] = kept;
            }
        }

        return result;
    }

    /// <summary>The part of <paramref name="node"/> at <paramref name="path"/> that may be shown, or null when none may.</summary>
    private static JsonNode? Visible(string path, JsonNode? node, IReadOnlyList<string> visible)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        if (SecretName().IsMatch(key))
        {
            return null;
        }

        if (node is JsonObject children && children.Count > 0)
        {
            var kept = new JsonObject();
            foreach (var (child, value) in children)
            {
                if (Visible($"{path}.{child}", value, visible) is { } shown)
                {
                    kept[child] = shown;
                }
            }

            return kept.Count > 0 ? kept : null;
        }

        // A leaf (value, array or empty object): shown only under a visible path, and an array only without objects
        // (objects in an array could hold anything).
        if (!IsUnder(path, visible) || (node is JsonArray array && array.Any(item => item is JsonObject or JsonArray)))
        {
            return null;
        }

        return node?.DeepClone() ?? JsonValue.Create((string?)null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?i)(password|passwd|secret|token|credential|private|salt|apikey|api_key|auth)")]
    private static partial System.Text.RegularExpressions.Regex SecretName();

    private static string? CheckTenantSetting(StoreEngine engine, string key, JsonElement value, StoreCatalog catalog, JsonElement values, string currentPlan)
    {
        switch (key)
        {
            case "plan":
                return value.ValueKind == JsonValueKind.String && catalog.FindPlan(value.GetString()!) is not null
                    ? null
                    : $"{Shown(value)} is not a plan. Plans: {string.Join(", ", catalog.Plans.Select(p => p.Name))}.";
            case "version":
                var engineCatalog = catalog.For(engine);
                return value.ValueKind == JsonValueKind.String && engineCatalog.Find(value.GetString()!) is not null
                    ? null
                    : $"{Shown(value)} is not an approved {engine.Name()} version. Approved: {string.Join(", ", engineCatalog.Versions.Select(v => v.Version))}.";
            case "storeTitle":
                if (value.ValueKind != JsonValueKind.String)
                {
                    return "storeTitle must be a string.";
                }

                var title = value.GetString()!;
                return title.Length is 0 or > StoreTitleMaxLength || title.Any(char.IsControl)
                    ? $"storeTitle must be one line of 1 to {StoreTitleMaxLength} characters without control characters."
                    : null;
            default: // replicas
                var planName = values.TryGetProperty("plan", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : currentPlan;
                var max = catalog.FindPlan(planName)?.MaxReplicas ?? 1;
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 1 && n <= max
                    ? null
                    : $"replicas must be a whole number from 1 to {max} (the most plan '{planName}' allows).";
        }
    }

    private static readonly HashSet<string> SecurityKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "securityContext", "podSecurityContext", "containerSecurityContext", "privileged", "runAsUser", "runAsGroup", "runAsNonRoot",
        "capabilities", "allowPrivilegeEscalation", "seccompProfile", "hostNetwork", "hostPID", "hostIPC", "hostPath", "fsGroup",
    };

    private static readonly HashSet<string> IsolationKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "networkPolicy", "networkPolicies", "quota", "resourceQuota", "limitRange", "isolation", "podSecurity", "namespace",
    };

    private static readonly HashSet<string> AnnotationKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "annotations", "podAnnotations", "serviceAnnotations", "ingressAnnotations",
    };

    private static IEnumerable<(string Path, string Message)> Forbidden(string key, JsonElement value, string path, bool allowImages)
    {
        var parent = path.Contains('.') ? path[..path.LastIndexOf('.')] : string.Empty;
        var parentKey = parent.Contains('.') ? parent[(parent.LastIndexOf('.') + 1)..] : parent;
        if (!allowImages && (key.Equals("image", StringComparison.OrdinalIgnoreCase) || key.Equals("images", StringComparison.OrdinalIgnoreCase)))
        {
            yield return (path, "Images come only from the operator's version catalog: choose a version (GET /api/catalog lists them).");
            yield break;
        }

        if (SecurityKeys.Contains(key))
        {
            yield return (path, "Security contexts are fixed by the platform (Pod Security restricted) and cannot be set.");
            yield break;
        }

        if (IsolationKeys.Contains(key))
        {
            yield return (path, "Isolation (NetworkPolicy, ResourceQuota, LimitRange, Pod Security) is applied by the platform to every store namespace; it is not a value.");
            yield break;
        }

        if (AnnotationKeys.Contains(key))
        {
            yield return (path, "Annotations cannot be set through the API (ingress controller snippets would be tenant-controlled proxy configuration).");
            yield break;
        }

        if ((key.Equals("type", StringComparison.OrdinalIgnoreCase) && parentKey.Equals("service", StringComparison.OrdinalIgnoreCase))
            || key.Equals("serviceType", StringComparison.OrdinalIgnoreCase))
        {
            yield return (path, "The Service type is always ClusterIP; stores are reached through the ingress.");
            yield break;
        }

        if (key is "nameOverride" or "fullnameOverride")
        {
            yield return (path, "Object names are fixed: the platform's NetworkPolicies select pods by them.");
            yield break;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var child in value.EnumerateObject())
            {
                foreach (var found in Forbidden(child.Name, child.Value, $"{path}.{Printable(child.Name)}", allowImages))
                {
                    yield return found;
                }
            }
        }
    }

    /// <summary>Dotted paths of every non-object value under <paramref name="path"/> (an empty object is its own leaf).</summary>
    private static IEnumerable<string> Leaves(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.EnumerateObject().Any())
        {
            yield return path;
            yield break;
        }

        foreach (var child in value.EnumerateObject())
        {
            foreach (var leaf in Leaves($"{path}.{child.Name}", child.Value))
            {
                yield return leaf;
            }
        }
    }

    private static bool IsUnder(string leaf, IReadOnlyList<string> allowed) =>
        allowed.Any(prefix => leaf == prefix || leaf.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static string Shown(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"'{Printable(value.GetString()!)}'" : value.GetRawText().Length > 40 ? "That value" : value.GetRawText();

    // Keys and values come from the client: keep them readable and short in the errors map.
    private static string Printable(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length == 0 ? "(unnamed)" : clean;
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

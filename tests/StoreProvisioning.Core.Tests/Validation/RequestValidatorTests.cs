using System.Text.Json;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Core.Tests.Validation;

public class RequestValidatorTests
{
    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void AssertFields<T>(Validated<T> result, params string[] fields)
    {
        Assert.False(result.IsValid);
        Assert.Equal(fields.OrderBy(f => f, StringComparer.Ordinal), result.Errors.Keys.OrderBy(f => f, StringComparer.Ordinal));
        Assert.All(result.Errors.Values, messages => Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m))));
    }

    // ---- create ----

    // A complete body parses into the typed request with the given engine.
    [Theory]
    [InlineData("""{"storeName":"acme","userId":"alice","engine":"woocommerce"}""", StoreEngine.WooCommerce)]
    [InlineData("""{"storeName":"acme","userId":"alice","engine":"medusa"}""", StoreEngine.Medusa)]
    public void Create_accepts_complete_body(string body, StoreEngine engine)
    {
        var result = RequestValidator.Create(Json(body));
        Assert.True(result.IsValid);
        Assert.Equal(new CreateStoreRequest("acme", "alice", engine), result.Value);
    }

    // No body at all is reported as both required fields missing, not as a malformed body.
    [Fact]
    public void Create_without_a_body_names_both_required_fields()
    {
        var result = RequestValidator.Create(null);
        Assert.False(result.IsValid);
        Assert.Equal(["storeName", "userId"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["storeName is required."], result.Errors["storeName"]);
    }

    // engine absent or null defaults to woocommerce.
    [Theory]
    [InlineData("""{"storeName":"acme","userId":"alice"}""")]
    [InlineData("""{"storeName":"acme","userId":"alice","engine":null}""")]
    public void Create_defaults_engine_to_woocommerce(string body)
    {
        var result = RequestValidator.Create(Json(body));
        Assert.True(result.IsValid);
        Assert.Equal(StoreEngine.WooCommerce, result.Value!.Engine);
    }

    // Any engine spelling other than exactly "woocommerce" or "medusa" is refused on the engine field.
    [Theory]
    [InlineData("\"WooCommerce\"")]
    [InlineData("\"WOOCOMMERCE\"")]
    [InlineData("\"Medusa\"")]
    [InlineData("\"shopify\"")]
    [InlineData("\"\"")]
    [InlineData("\" medusa\"")]
    [InlineData("\"0\"")]
    [InlineData("\"1\"")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[\"medusa\"]")]
    [InlineData("{\"name\":\"medusa\"}")]
    public void Create_refuses_unknown_engine(string engine)
    {
        var result = RequestValidator.Create(Json($$"""{"storeName":"acme","userId":"alice","engine":{{engine}}}"""));
        AssertFields(result, "engine");
        Assert.Contains("\"woocommerce\" or \"medusa\"", result.Errors["engine"][0]);
    }

    // Missing (or null) required fields are each reported as required.
    [Theory]
    [InlineData("{}", new[] { "storeName", "userId" })]
    [InlineData("""{"storeName":"acme"}""", new[] { "userId" })]
    [InlineData("""{"userId":"alice"}""", new[] { "storeName" })]
    [InlineData("""{"storeName":null,"userId":null}""", new[] { "storeName", "userId" })]
    public void Create_reports_each_missing_field(string body, string[] fields)
    {
        var result = RequestValidator.Create(Json(body));
        AssertFields(result, fields);
        foreach (var field in fields)
        {
            Assert.Equal($"{field} is required.", Assert.Single(result.Errors[field]));
        }
    }

    // A user may leave userId out (they create for themself); if they send one it is still validated.
    [Theory]
    [InlineData("""{"storeName":"acme"}""", null)]
    [InlineData("""{"storeName":"acme","userId":null}""", null)]
    [InlineData("""{"storeName":"acme","userId":"alice"}""", "alice")]
    public void Create_for_a_user_takes_userId_as_optional(string body, string? userId)
    {
        var result = RequestValidator.Create(Json(body), userIdRequired: false);
        Assert.True(result.IsValid);
        Assert.Equal(userId, result.Value!.UserId);
        Assert.Contains("userId", RequestValidator.Create(Json("""{"storeName":"acme","userId":"a b"}"""), userIdRequired: false).Errors.Keys);
        Assert.Equal(["storeName"], RequestValidator.Create(null, userIdRequired: false).Errors.Keys);
    }

    // Wrong JSON types for the string fields are refused, naming the type received.
    [Theory]
    [InlineData("""{"storeName":123,"userId":"alice"}""", "storeName", "a number")]
    [InlineData("""{"storeName":true,"userId":"alice"}""", "storeName", "a boolean")]
    [InlineData("""{"storeName":["acme"],"userId":"alice"}""", "storeName", "an array")]
    [InlineData("""{"storeName":{"n":"acme"},"userId":"alice"}""", "storeName", "an object")]
    [InlineData("""{"storeName":"acme","userId":42}""", "userId", "a number")]
    [InlineData("""{"storeName":"acme","userId":false}""", "userId", "a boolean")]
    public void Create_refuses_wrong_types(string body, string field, string described)
    {
        var result = RequestValidator.Create(Json(body));
        AssertFields(result, field);
        Assert.Contains($"must be a string, not {described}", result.Errors[field][0]);
    }

    // A body that is not an object is refused on "$" with what it was.
    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"acme\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void Create_refuses_non_object_body(string body, string described)
    {
        var result = RequestValidator.Create(Json(body));
        AssertFields(result, "$");
        Assert.Contains(described, result.Errors["$"][0]);
    }

    // Unknown fields are refused by name (typos never silently become defaults), case-sensitively.
    [Theory]
    [InlineData("""{"storeName":"acme","userId":"alice","engin":"medusa"}""", "engin")]
    [InlineData("""{"storeName":"acme","userId":"alice","StoreName":"x"}""", "StoreName")]
    [InlineData("""{"storeName":"acme","userId":"alice","values":{}}""", "values")]
    public void Create_refuses_unknown_fields(string body, string field)
    {
        var result = RequestValidator.Create(Json(body));
        AssertFields(result, field);
        Assert.Contains("Expected only: storeName, userId, engine", result.Errors[field][0]);
    }

    // Wrong-case keys are unknown fields and leave the real field missing: both are reported.
    [Fact]
    public void Create_reports_wrong_case_key_as_unknown_and_field_as_missing()
    {
        var result = RequestValidator.Create(Json("""{"storename":"acme","userId":"alice"}"""));
        AssertFields(result, "storename", "storeName");
    }

    // Invalid name and user id values carry the rule's message; all problems are reported together.
    [Fact]
    public void Create_reports_all_problems_at_once()
    {
        var result = RequestValidator.Create(Json("""{"storeName":"Bad_Name","userId":"no spaces","engine":"shopify","extra":1}"""));
        AssertFields(result, "storeName", "userId", "engine", "extra");
        Assert.Contains("DNS label", result.Errors["storeName"][0]);
        Assert.Contains("may contain only", result.Errors["userId"][0]);
    }

    // Reserved and out-of-bound names are refused through the same rules as StoreRules.
    [Theory]
    [InlineData("metrics")]
    [InlineData("ab")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijk")]
    public void Create_applies_name_rules(string name) =>
        AssertFields(RequestValidator.Create(Json($$"""{"storeName":"{{name}}","userId":"alice"}""")), "storeName");

    // An unknown field name full of control characters is shown cleaned and cut to 64 characters in the errors map.
    [Fact]
    public void Create_unknown_field_names_are_printable_and_short()
    {
        var longName = new string('x', 200);
        var result = RequestValidator.Create(Json($$"""{"storeName":"acme","userId":"alice","a\u0000b\nc":1,"{{longName}}":2,"\u0001":3}"""));
        AssertFields(result, "abc", new string('x', 64), "(unnamed field)");
    }

    // ---- upgrade ----

    // No body, {}, or values null mean "re-apply the chart": valid, no overrides.
    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"values":null}""")]
    public void Upgrade_without_values_is_valid(string? body)
    {
        var result = RequestValidator.Upgrade(body is null ? null : Json(body));
        Assert.True(result.IsValid);
        Assert.Null(result.Value);
    }

    // An object of overrides is returned as its JSON text.
    [Fact]
    public void Upgrade_returns_overrides_json()
    {
        var result = RequestValidator.Upgrade(Json("""{"values":{"resources":{"limits":{"cpu":"500m"}},"replicas":2}}"""));
        Assert.True(result.IsValid);
        using var parsed = JsonDocument.Parse(result.Value!);
        Assert.Equal("500m", parsed.RootElement.GetProperty("resources").GetProperty("limits").GetProperty("cpu").GetString());
        Assert.Equal(2, parsed.RootElement.GetProperty("replicas").GetInt32());
    }

    // values must be an object: arrays, strings, numbers and booleans are refused on "values".
    [Theory]
    [InlineData("[]")]
    [InlineData("\"replicas: 2\"")]
    [InlineData("2")]
    [InlineData("true")]
    public void Upgrade_values_must_be_object(string values)
    {
        var result = RequestValidator.Upgrade(Json($$"""{"values":{{values}}}"""));
        AssertFields(result, "values");
        Assert.Contains("must be an object", result.Errors["values"][0]);
    }

    // Which keys a caller may set (store and credentials never) is the tenant boundary's: UpgradeValuesPolicyTests.

    // Nesting up to MaxValuesDepth (12) levels is accepted; one more is refused.
    [Fact]
    public void Upgrade_depth_limit()
    {
        static string Nested(int depth) => depth == 0 ? "1" : $$"""{"a":{{Nested(depth - 1)}}}""";
        Assert.Equal(12, RequestValidator.MaxValuesDepth);
        Assert.True(RequestValidator.Upgrade(Json($$"""{"values":{{Nested(12)}}}""")).IsValid);
        var deep = RequestValidator.Upgrade(Json($$"""{"values":{{Nested(13)}}}"""));
        AssertFields(deep, "values");
        Assert.Contains("deeper than 12", deep.Errors["values"][0]);
    }

    // Arrays count toward depth just like objects.
    [Fact]
    public void Upgrade_depth_counts_arrays()
    {
        var values = "{\"a\":" + new string('[', 12) + new string(']', 12) + "}";
        AssertFields(RequestValidator.Upgrade(Json($$"""{"values":{{values}}}""")), "values");
    }

    // Unknown fields and non-object bodies are refused for upgrade too.
    [Theory]
    [InlineData("""{"value":{}}""", "value")]
    [InlineData("""{"values":{},"revision":1}""", "revision")]
    [InlineData("[]", "$")]
    [InlineData("null", "$")]
    public void Upgrade_refuses_unknown_fields_and_non_objects(string body, string field) =>
        AssertFields(RequestValidator.Upgrade(Json(body)), field);

    // ---- rollback ----

    // No body, {}, or revision null mean "the previous good revision".
    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"revision":null}""")]
    public void Rollback_without_revision_is_valid(string? body)
    {
        var result = RequestValidator.Rollback(body is null ? null : Json(body));
        Assert.True(result.IsValid);
        Assert.Null(result.Value);
    }

    // Whole numbers from 1 up to int.MaxValue are accepted as the revision.
    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData("2147483647", int.MaxValue)]
    public void Rollback_accepts_whole_revisions(string revision, int expected)
    {
        var result = RequestValidator.Rollback(Json($$"""{"revision":{{revision}}}"""));
        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Value);
    }

    // 0, negatives, fractions, strings, booleans, huge numbers and exponents are refused on "revision".
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("2.0")]
    [InlineData("1e2")]
    [InlineData("\"2\"")]
    [InlineData("true")]
    [InlineData("[2]")]
    [InlineData("{}")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999999999")]
    public void Rollback_refuses_bad_revisions(string revision)
    {
        var result = RequestValidator.Rollback(Json($$"""{"revision":{{revision}}}"""));
        AssertFields(result, "revision");
        Assert.Contains("whole number of at least 1", result.Errors["revision"][0]);
    }

    // Unknown fields and non-object bodies are refused for rollback.
    [Theory]
    [InlineData("""{"rev":2}""", "rev")]
    [InlineData("3", "$")]
    [InlineData("[3]", "$")]
    public void Rollback_refuses_unknown_fields_and_non_objects(string body, string field) =>
        AssertFields(RequestValidator.Rollback(Json(body)), field);

    // ---- retry / delete (no body) ----

    // No body or {} is accepted by the body-less endpoints.
    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    public void Empty_accepts_no_body_or_empty_object(string? body) => Assert.True(RequestValidator.Empty(body is null ? null : Json(body)).IsValid);

    // Any field sent to retry/delete is refused, saying the request takes no fields; non-objects are refused on "$".
    [Theory]
    [InlineData("""{"force":true}""", new[] { "force" })]
    [InlineData("""{"a":1,"b":2}""", new[] { "a", "b" })]
    [InlineData("[]", new[] { "$" })]
    [InlineData("\"\"", new[] { "$" })]
    [InlineData("null", new[] { "$" })]
    public void Empty_refuses_fields(string body, string[] fields)
    {
        var result = RequestValidator.Empty(Json(body));
        AssertFields(result, fields);
        if (fields[0] != "$")
        {
            Assert.Contains("takes no fields", result.Errors[fields[0]][0]);
        }
    }

    // ---- list filter ----

    // No filters, a valid user id and each status name (any case) are accepted.
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("alice", null, null)]
    [InlineData(null, "NEW", StoreStatus.New)]
    [InlineData(null, "PROVISIONING", StoreStatus.Provisioning)]
    [InlineData(null, "READY", StoreStatus.Ready)]
    [InlineData(null, "FAILED", StoreStatus.Failed)]
    [InlineData("bob", "DELETING", StoreStatus.Deleting)]
    [InlineData(null, "ready", StoreStatus.Ready)]
    public void ListFilter_accepts_valid_filters(string? userId, string? status, StoreStatus? expected)
    {
        var result = RequestValidator.ListFilter(userId, status);
        Assert.True(result.IsValid);
        Assert.Equal((userId, expected), result.Value);
    }

    // Bad status spellings (numbers, blanks, unknown words) and bad user ids are refused per field.
    [Theory]
    [InlineData(null, "", new[] { "status" })]
    [InlineData(null, "0", new[] { "status" })]
    [InlineData(null, "2", new[] { "status" })]
    [InlineData(null, " READY", new[] { "status" })]
    [InlineData(null, "READY,FAILED", new[] { "status" })]
    [InlineData(null, "DONE", new[] { "status" })]
    [InlineData("", null, new[] { "userId" })]
    [InlineData("a b", null, new[] { "userId" })]
    [InlineData("a b", "x", new[] { "userId", "status" })]
    public void ListFilter_refuses_bad_filters(string? userId, string? status, string[] fields) =>
        AssertFields(RequestValidator.ListFilter(userId, status), fields);

    // ---- activity query ----

    // limit defaults to 50 and accepts 1..500 written as plain digits; store must be a valid name.
    [Theory]
    [InlineData(null, null, 50)]
    [InlineData("1", null, 1)]
    [InlineData("50", "acme", 50)]
    [InlineData("500", null, 500)]
    [InlineData("007", null, 7)]
    public void ActivityQuery_accepts_valid_limits(string? limit, string? store, int expected)
    {
        var result = RequestValidator.ActivityQuery(limit, store);
        Assert.True(result.IsValid);
        Assert.Equal((expected, store), result.Value);
    }

    // 0, 501, words, signs, spaces, decimals and overflowing numbers are refused on "limit".
    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("abc")]
    [InlineData("+5")]
    [InlineData("-5")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5.0")]
    [InlineData("1e2")]
    [InlineData("")]
    [InlineData("99999999999999")]
    [InlineData("\uff15")] // full-width digit 5
    public void ActivityQuery_refuses_bad_limits(string limit)
    {
        var result = RequestValidator.ActivityQuery(limit, null);
        AssertFields(result, "limit");
        Assert.Contains("1 to 500", result.Errors["limit"][0]);
    }

    // A bad store filter is refused on "store" (the message speaks of "store", not "storeName").
    [Fact]
    public void ActivityQuery_refuses_bad_store()
    {
        var result = RequestValidator.ActivityQuery("abc", "Bad Name");
        AssertFields(result, "limit", "store");
        Assert.DoesNotContain("storeName", result.Errors["store"][0]);
    }

    // 5,000 random limit strings (digits, signs, spaces, letters, unicode digits): accepted exactly when they are plain
    // ASCII digits with a value from 1 to 500, per an independent reference.
    [Fact]
    public void ActivityQuery_limit_agrees_with_reference()
    {
        const string Alphabet = "0123456789005+- .eE,x\u0665\uff15";
        var random = new Random(500);
        for (var i = 0; i < 5_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => i % 2 == 0 ? Alphabet[random.Next(Alphabet.Length)] : (char)('0' + random.Next(10))).ToArray());
            var expected = text.Length > 0 && text.All(char.IsAsciiDigit) && int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 500;
            var result = RequestValidator.ActivityQuery(text, null);
            Assert.True(expected == result.IsValid, $"limit {JsonSerializer.Serialize(text)}");
            if (expected)
            {
                Assert.Equal(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture), result.Value.Limit);
            }
        }
    }

    // A revision in a URL: digits only, 1..MaxRevision, no sign, no leading zero, no spaces, no other numerals.
    [Theory]
    [InlineData("1", 1)]
    [InlineData("42", 42)]
    [InlineData("1000000", 1_000_000)]
    public void Revision_accepts_whole_numbers_in_range(string text, int revision) => Assert.Equal(revision, RequestValidator.Revision(text).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("1000001")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("\uFF11")]
    [InlineData("\u0661")]
    [InlineData("abc")]
    public void Revision_refuses_anything_else(string? text)
    {
        var result = RequestValidator.Revision(text);
        Assert.False(result.IsValid);
        Assert.Contains("revision", result.Errors.Keys);
    }
}

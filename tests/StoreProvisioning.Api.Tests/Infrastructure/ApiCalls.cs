using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace StoreProvisioning.Api.Tests.Infrastructure;

/// <summary>Small helpers for driving the API and checking what it answers.</summary>
public static class ApiCalls
{
    public static readonly string[] Terminal = ["READY", "FAILED"];

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body));

    public static Task<HttpResponseMessage> CreateAsync(this HttpClient client, string name, string user, string? engine = null) =>
        client.PostAsync("/api/stores", Json(engine is null ? new { storeName = name, userId = user } : new { storeName = name, userId = user, engine }));

    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} body is not JSON ({ex.Message}): '{text}'");
        }
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    /// <summary>Asserts a 202 with the store in the body and Location /api/stores/{name}; returns the store.</summary>
    public static async Task<JsonElement> AssertAcceptedAsync(this HttpResponseMessage response, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {text}");
        Assert.Equal("/api/stores/" + name, response.Headers.Location?.OriginalString);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var store = await response.BodyAsync();
        Assert.Equal(name, store.GetProperty("name").GetString());
        return store;
    }

    /// <summary>
    /// Asserts an RFC 9457 problem: the status, application/problem+json, and non-empty type/title/detail with a
    /// matching status member; no stack trace. Returns the body.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? because = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        var what = $"{because} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {text}";
        Assert.True(response.StatusCode == status, $"expected {(int)status}; {what}");
        AssertProblemShape(response, text, what);
        return await response.BodyAsync();
    }

    /// <summary>Asserts any 4xx problem+json (used for hostile input, where several codes are right).</summary>
    public static async Task<int> AssertClientErrorProblemAsync(this HttpResponseMessage response, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        var code = (int)response.StatusCode;
        var what = $"{because}: {code} {Truncate(text)}";
        Assert.True(code is >= 400 and < 500, "expected a 4xx; " + what);
        AssertProblemShape(response, text, what);
        return code;
    }

    private static void AssertProblemShape(HttpResponseMessage response, string text, string what)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", "content type is not application/problem+json; " + what);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement;
        foreach (var member in new[] { "type", "title", "detail" })
        {
            Assert.True(body.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, $"problem has no '{member}'; {what}");
        }

        Assert.True(body.TryGetProperty("status", out var statusValue) && statusValue.GetInt32() == (int)response.StatusCode, "problem status differs from the response status; " + what);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        // Written for people, not for inlining into HTML: 'acme' and <, >, & appear as themselves, never as \u0027.
        Assert.False(text.Contains("\\u00", StringComparison.Ordinal), "problem text carries JSON \\u00 escapes; " + what);
    }

    /// <summary>Asserts the problem names the field in its 'errors' map.</summary>
    public static void AssertFieldError(JsonElement problem, string field)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object, $"problem has no errors map: {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"errors does not name '{field}': {problem}");
    }

    /// <summary>Polls GET /api/stores/{name} until its status is one of <paramref name="statuses"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string name, string[] statuses, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/api/stores/" + name);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var store = await response.BodyAsync();
                if (statuses.Contains(store.GetProperty("status").GetString()))
                {
                    return store;
                }
            }

            await Task.Delay(150);
        }

        throw new TimeoutException($"store '{name}' did not reach {string.Join("|", statuses)}; last answer: {last}");
    }

    public static Task<JsonElement> WaitForStatusAsync(this HttpClient client, string name, string status, TimeSpan? timeout = null) =>
        client.WaitForStatusAsync(name, [status], timeout);

    /// <summary>Polls GET /api/stores/{name} until its progress names <paramref name="step"/> (a step a person reads).</summary>
    public static async Task<JsonElement> WaitForStepAsync(this HttpClient client, string name, string step, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            var store = await client.GetJsonAsync("/api/stores/" + name);
            last = store.GetRawText();
            if (store.GetProperty("progress") is { ValueKind: JsonValueKind.Object } progress && progress.GetProperty("step").GetString() == step)
            {
                return store;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"store '{name}' never reported step '{step}'; last answer: {last}");
    }

    /// <summary>Polls until GET /api/stores/{name} is 404 (the row was removed).</summary>
    public static async Task WaitUntilGoneAsync(this HttpClient client, string name, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync("/api/stores/" + name);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return;
            }

            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            await Task.Delay(150);
        }

        throw new TimeoutException($"store '{name}' was not removed; last answer: {last}");
    }

    public static async Task<List<JsonElement>> ActivityAsync(this HttpClient client, string? store = null, int limit = 500)
    {
        var body = await client.GetJsonAsync($"/api/stores/activity?limit={limit}" + (store is null ? string.Empty : "&store=" + Uri.EscapeDataString(store)));
        return body.EnumerateArray().ToList();
    }

    public static string Truncate(string text, int max = 300) => text.Length <= max ? text : text[..max] + "…";

    public static MediaTypeHeaderValue MediaType(string value) => MediaTypeHeaderValue.Parse(value);
}

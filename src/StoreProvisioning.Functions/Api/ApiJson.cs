using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace StoreProvisioning.Functions.Api;

/// <summary>How the API writes JSON: camelCase, nulls kept (the contract lists every field), explicit content types.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// Problem bodies are read by people and never inlined into HTML, so they are written without HTML-safe escaping:
    /// 'acme' stays 'acme' instead of \u0027acme\u0027. JSON's own escapes (quotes, backslashes, control characters) remain.
    /// </summary>
    public static readonly JsonSerializerOptions ProblemOptions = new(Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IActionResult Ok(object value) => Write(value, StatusCodes.Status200OK, "application/json");

    /// <summary>202 with a Location header: the operation was accepted and runs in the background.</summary>
    public static IActionResult Accepted(HttpRequest request, string location, object value)
    {
        request.HttpContext.Response.Headers.Location = location;
        return Write(value, StatusCodes.Status202Accepted, "application/json");
    }

    public static IActionResult Write(object value, int status, string contentType, JsonSerializerOptions? options = null) => new ContentResult
    {
        Content = JsonSerializer.Serialize(value, value.GetType(), options ?? Options),
        ContentType = contentType + "; charset=utf-8",
        StatusCode = status,
    };
}

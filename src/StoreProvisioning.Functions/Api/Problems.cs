using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using StoreProvisioning.Lifecycle;

namespace StoreProvisioning.Functions.Api;

/// <summary>RFC 9457 problem+json responses. Every refusal of the API is one of these; none carries a stack trace.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IActionResult Create(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = TypeFor(status),
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors is { Count: > 0 })
        {
            body["errors"] = errors;
        }

        return ApiJson.Write(body, status, ContentType);
    }

    public static IActionResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Create(
            StatusCodes.Status400BadRequest,
            "One or more fields are invalid",
            detail ?? "Fix the fields listed in 'errors' and send the request again: " + string.Join(" ", errors.SelectMany(e => e.Value)),
            errors);

    /// <summary>Maps a refusal to its status code: the one place a <see cref="Refusal"/> becomes HTTP.</summary>
    public static IActionResult From(Refusal refusal) => Create(
        refusal.Kind switch
        {
            RefusalKind.Invalid => StatusCodes.Status400BadRequest,
            RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status500InternalServerError,
        },
        refusal.Title,
        refusal.Detail,
        refusal.Errors);

    /// <summary>The RFC 9110 section that defines the status, as ASP.NET's ProblemDetails defaults do.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };
}

using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// Reads a JSON request body defensively: at most 64 KiB, JSON content type (415 otherwise, even for an empty body
/// declared as something else), well-formed UTF-8 JSON with no duplicate
/// keys and bounded nesting. Anything else is refused with a problem+json before it reaches the application.
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;
    private const int MaxDepth = 64;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The parsed body (null when there is none), or the refusal to return. The document is cloned so nothing
    /// pooled outlives the call.
    /// </summary>
    public static async Task<(JsonElement? Body, IActionResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        var empty = buffer.Length == 0 || IsWhitespace(buffer);
        if (empty && string.IsNullOrWhiteSpace(request.ContentType))
        {
            return (null, null);
        }

        // A write whose body is declared as something else is refused even when that body is empty.
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.Create(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type",
                $"Send the body as JSON with 'Content-Type: application/json' (got '{Printable(request.ContentType) ?? "none"}')."));
        }

        if (empty)
        {
            return (null, null);
        }

        var bytes = buffer.ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes, ParseOptions);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Create(
                StatusCodes.Status400BadRequest,
                "Malformed JSON",
                $"The request body is not valid JSON: {Describe(ex, bytes)}"));
        }
    }

    private static IActionResult TooLarge() => Problems.Create(
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The request body is larger than {MaxBytes / 1024} KiB. Send only the fields the endpoint takes.");

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsWhitespace(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOfAnyExcept(" \t\r\n"u8) < 0;

    // The parser's first sentence says what is wrong in the body's own terms; its position suffix
    // ("LineNumber: 0 | BytePositionInLine: 13", zero-based bytes) and any "Path:" are replaced by a 1-based
    // line and character column, as an editor shows them.
    private static string Describe(JsonException ex, byte[] body)
    {
        var message = ex.Message;
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        message = message.TrimEnd(' ', '.');
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $"{message} (line {line + 1}, column {Column(body, line, position)})."
            : message + ".";
    }

    /// <summary>The 1-based character column of a zero-based byte position on a zero-based line.</summary>
    private static long Column(byte[] body, long line, long bytePosition)
    {
        var start = 0;
        for (var seen = 0L; seen < line && start < body.Length; start++)
        {
            if (body[start] == (byte)'\n')
            {
                seen++;
            }
        }

        var length = (int)Math.Clamp(bytePosition, 0, body.Length - start);
        return Encoding.UTF8.GetCharCount(body, start, length) + 1;
    }

    private static string? Printable(string? text) =>
        text is null ? null : new StringBuilder(text.Length).Append(text.Where(c => !char.IsControl(c)).Take(100).ToArray()).ToString();
}

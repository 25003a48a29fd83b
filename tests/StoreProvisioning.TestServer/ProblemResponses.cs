using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using StoreProvisioning.Functions.Api;

namespace StoreProvisioning.TestServer;

/// <summary>
/// The refusals that happen outside any function: no route (404), a route without that verb (405), a body Kestrel
/// will not read (413/400) and an unhandled fault (500). The Functions host answers these itself; here they are
/// written with the app's own <see cref="Problems"/> helper so every error body is problem+json.
/// </summary>
public sealed class ProblemResponses(RequestDelegate next, ILogger<ProblemResponses> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals, e.g. a body over MaxRequestBodySize (413) or a truncated body (400).
            await WriteAsync(context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is larger than the server accepts ({MaxBody(context)}). Send only the fields the endpoint takes."
                    : $"The request could not be read: {ex.Message}");
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; nobody is left to answer
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, "Unexpected error",
                "The server hit an unexpected error; see its log.");
            return;
        }

        if (context.Response.HasStarted || context.Response.ContentLength > 0 || context.Response.ContentType is not null)
        {
            return;
        }

        switch (context.Response.StatusCode)
        {
            case StatusCodes.Status404NotFound:
                await WriteAsync(context, 404, "No such route",
                    $"No API route matches {Printable(context.Request.Method)} {Printable(context.Request.Path.Value)}. The API lives under /api: /api/stores, /api/stores/{{name}}, /api/stores/metrics, /api/stores/activity, /api/health.");
                break;
            case StatusCodes.Status405MethodNotAllowed:
                var allowed = context.Response.Headers.Allow.ToString();
                await WriteAsync(context, 405, "Method not allowed",
                    $"{Printable(context.Request.Method)} is not supported on {Printable(context.Request.Path.Value)}." + (allowed.Length > 0 ? $" Use {allowed}." : string.Empty));
                break;
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var allow = context.Response.Headers.Allow;
        context.Response.Clear();
        if (status == StatusCodes.Status405MethodNotAllowed && allow.Count > 0)
        {
            context.Response.Headers.Allow = allow;
        }

        return Problems.Create(status, title, detail)
            .ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static string MaxBody(HttpContext context) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max ? $"{max / 1024} KiB" : "its limit";

    private static string Printable(string? text) =>
        text is null ? string.Empty : new string(text.Where(c => !char.IsControl(c)).Take(200).ToArray());
}

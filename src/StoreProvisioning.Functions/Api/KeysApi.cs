using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using StoreProvisioning.Identity;
using StoreProvisioning.Persistence;
using StoreProvisioning.Stores;
using StoreProvisioning.Validation;

namespace StoreProvisioning.Functions.Api;

/// <summary>
/// /api/keys, admins only: create (the key is in that one response and nowhere else, ever), list metadata, revoke.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class KeysApi(ApiKeyRepository keys, TimeProvider clock)
{
    /// <summary>A key's metadata as the API shows it.</summary>
    public sealed record KeyResponse(string Id, string UserId, string Role, string? Name, string CreatedAt, string? ExpiresAt)
    {
        public static KeyResponse From(ApiKey key) => new(
            key.Id, key.UserId, key.Role.Name(), key.Name, Wire.Timestamp(key.CreatedAt), key.ExpiresAt is { } e ? Wire.Timestamp(e) : null);
    }

    /// <summary>POST's answer: the metadata plus the key, shown this once.</summary>
    public sealed record IssuedKeyResponse(string Id, string Key, string UserId, string Role, string? Name, string CreatedAt, string? ExpiresAt);

    [Function("CreateKey")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "keys")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, refusal) = await RequestBody.ReadAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var validated = KeyRequestValidator.Create(body, clock.GetUtcNow());
        if (!validated.IsValid)
        {
            return Problems.Validation(validated.Errors);
        }

        var wanted = validated.Value!;
        var issued = await keys.CreateAsync(wanted.UserId, wanted.Role, wanted.Name, wanted.ExpiresAt, cancellationToken);
        var key = KeyResponse.From(issued.Key);
        request.HttpContext.Response.Headers.Location = $"/api/keys/{key.Id}";
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return ApiJson.Write(new IssuedKeyResponse(key.Id, issued.Secret, key.UserId, key.Role, key.Name, key.CreatedAt, key.ExpiresAt), StatusCodes.Status201Created, "application/json");
    }

    [Function("ListKeys")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "keys")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiJson.Ok((await keys.ListAsync(cancellationToken)).Select(KeyResponse.From).ToList());

    [Function("RevokeKey")]
    public async Task<IActionResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "keys/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken)
            ? new StatusCodeResult(StatusCodes.Status204NoContent)
            : Problems.Create(StatusCodes.Status404NotFound, "Key not found", "There is no API key with this id. GET /api/keys lists the keys.");
}

using Microsoft.AspNetCore.Http;
using StoreProvisioning.Identity;

namespace StoreProvisioning.Functions.Identity;

/// <summary>The verified caller of a request, put there by <see cref="CallerAuthenticationMiddleware"/>.</summary>
public static class CallerContext
{
    /// <summary>
    /// The caller of this request. Every function that is not [AllowAnonymous] runs only after the middleware set
    /// it, so its absence is a wiring fault, not a client error.
    /// </summary>
    public static Caller Caller(this HttpRequest request) =>
        request.HttpContext.Features.Get<Caller>()
        ?? throw new InvalidOperationException("No verified caller on this request: is CallerAuthenticationMiddleware registered (UseStoreProvisioningMiddleware)?");

    internal static void SetCaller(this HttpContext context, Caller caller) => context.Features.Set(caller);
}

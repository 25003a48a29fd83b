namespace StoreProvisioning.Functions.Identity;

/// <summary>
/// The function also accepts METRICS_SCRAPE_KEY as its bearer credential (compared in constant time), besides the
/// callers its [Authorize] admits. A request admitted by the scrape key has no <see cref="StoreProvisioning.Identity.Caller"/>:
/// only a function that never asks for one may carry this. Read by <see cref="FunctionAccess"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllowScrapeKeyAttribute : Attribute;

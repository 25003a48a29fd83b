namespace StoreProvisioning.Functions.Api;

/// <summary>
/// Route precedence under the Functions host. The host does not rank routes by specificity: it tries the functions
/// in name order (ordinal, ignore case) and the first whose route template and method match wins, so a literal
/// segment does not beat a parameter and a catch-all takes everything it sorts before (Azure/azure-functions-host#3153).
/// The API's rule, so that order never matters:
/// <list type="number">
/// <item>No two functions take the same method and path. Where a parameter sits beside a literal route of the same
/// method, a constraint keeps it off the literal's words: GET
/// stores/{name} carries <see cref="StoreName"/>, which refuses the reserved words (stores/metrics, stores/activity,
/// and health, the same words StoreRules reserves as store names).</item>
/// <item>The catch-all's name starts with <see cref="LastInHostOrder"/>, so it sorts after every other function.</item>
/// </list>
/// RoutePrecedenceTests checks both from the build's functions.metadata for every function and method.
/// </summary>
public static class FunctionRoutes
{
    /// <summary>
    /// The {name} segment of GET stores/{name}: any value except a reserved word (ignoring case, as the regex
    /// constraint does). Other {name} routes keep a plain parameter, so a reserved word there still reaches the
    /// function and gets its 400 "Invalid store name".
    /// </summary>
    public const string StoreName = "{name:regex(^(?!(metrics|activity|health)$))}";

    /// <summary>
    /// Function names must start with a letter; '_' upper-cases above every letter and digit, so "Z_" sorts after any
    /// name that does not itself start with "Z_".
    /// </summary>
    public const string LastInHostOrder = "Z_";
}

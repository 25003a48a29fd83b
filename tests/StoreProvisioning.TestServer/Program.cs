using StoreProvisioning.Functions.Hosting;
using StoreProvisioning.TestServer;

// Serves the function app's own HTTP functions on Kestrel with an in-process durable engine, so the API can be
// driven over real HTTP without Functions Core Tools:
//   dotnet run --project tests/StoreProvisioning.TestServer -- --urls http://127.0.0.1:7071
// Settings are the app's (HELM_PATH, KUBECTL_PATH, SQLITE_PATH, PROVISION_CONCURRENCY, ...), read from environment
// variables or the command line through normal configuration; DURABLE_BACKEND picks the durable engine.
var functionsAssembly = typeof(ServiceRegistration).Assembly;
var builder = WebApplication.CreateBuilder(args);

builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.Logging.AddFilter("Grpc", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
builder.Logging.AddFilter("DurableTask", LogLevel.Warning);

// The Functions host accepts bodies up to 100 MB (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT); the API's own 64 KiB check
// refuses anything bigger long before that.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 100L * 1024 * 1024);

// Exactly the app's registration (as Program.cs of the function app), then what the Functions host would provide.
builder.Services.AddStoreProvisioning(builder.Configuration);
builder.Services.AddMvcCore(); // executes the functions' IActionResult values, as ASP.NET Core integration does
builder.Services.AddDurableEngine(builder.Configuration);

var timers = FunctionCatalog.TimerFunctions(functionsAssembly);
if (timers.Count > 0)
{
    builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<TimerFunctionService>(sp, timers));
}

var app = builder.Build();
app.UseMiddleware<ProblemResponses>();

var functions = app.RunHttpFunctions(functionsAssembly);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var options = app.Services.GetRequiredService<StoreProvisioning.Configuration.StoreProvisioningOptions>();
    var database = app.Services.GetRequiredService<StoreProvisioning.Persistence.MetadataDatabase>();
    app.Logger.LogInformation("Database: {Engine} at {Location}; helm: {Helm}; kubectl: {Kubectl}", database.Engine, database.Location, options.HelmPath, options.KubectlPath);

    foreach (var function in functions.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
    {
        app.Logger.LogInformation("HTTP function {Function}: {Methods} /{Pattern}", function.Name, string.Join(",", function.HttpMethods ?? ["*"]), function.Pattern);
    }

    foreach (var timer in timers)
    {
        app.Logger.LogInformation("Timer function {Function}", timer.Name);
    }
});

app.Run();

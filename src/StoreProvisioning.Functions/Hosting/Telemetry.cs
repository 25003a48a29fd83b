using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StoreProvisioning.Configuration;
using StoreProvisioning.Observability;

namespace StoreProvisioning.Functions.Hosting;

/// <summary>
/// Traces and the console's log format, wired only from the standard settings: OpenTelemetry (OTEL_SDK_DISABLED,
/// OTEL_SERVICE_NAME, and the OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set; the exporter reads its other
/// OTEL_EXPORTER_OTLP_* variables itself) and LOG_FORMAT (text or json).
/// </summary>
public static class Telemetry
{
    /// <summary>The Functions worker's own source: its "Invoke" span is the HTTP request's span in the worker.</summary>
    public const string WorkerSourceName = "Microsoft.Azure.Functions.Worker";

    public const string DefaultServiceName = "store-provisioning";

    public static IServiceCollection AddStoreProvisioningTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // Read first: a bad LOG_FORMAT stops the app at start, naming the setting.
        var logFormat = StoreProvisioningOptions.LogFormatFrom(configuration);
        if (logFormat == LogFormat.Json)
        {
            services.AddLogging(logging => logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            }));
        }

        if (IsTrue(configuration["OTEL_SDK_DISABLED"]))
        {
            return services;
        }

        var serviceName = string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]) ? DefaultServiceName : configuration["OTEL_SERVICE_NAME"]!.Trim();
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Tracing.SourceName, WorkerSourceName);
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    private static bool IsTrue(string? value) => bool.TryParse(value?.Trim(), out var flag) && flag;
}

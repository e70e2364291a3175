using ApartmentManager.Observability;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ApartmentManager.Api.Observability;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>ASP.NET Core's and HttpClient's own meters, added to ours.</summary>
    public static readonly IReadOnlyList<string> FrameworkMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];

    /// <summary>
    /// OpenTelemetry for either host: every ApartmentManager source and meter (<see cref="TelemetryNames.All"/>), HTTP
    /// server and client spans (W3C <c>traceparent</c> in and out, so outbound webhooks carry the trace), HTTP metrics,
    /// and log records with trace and span ids. Exporters: OTLP when an endpoint is configured, Azure Monitor when a
    /// connection string is, the console when asked. The host adds its own (single node: Prometheus at /metrics).
    /// </summary>
    public static IServiceCollection AddApartmentManagerTelemetry(this IServiceCollection services, IConfiguration configuration,
        Action<TracerProviderBuilder>? tracing = null, Action<MeterProviderBuilder>? metrics = null)
    {
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        options.OtlpEndpoint ??= Uri.TryCreate(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"], UriKind.Absolute, out var otlp) ? otlp : null;
        options.AzureMonitorConnectionString ??= configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (options.SamplingRatio is < 0 or > 1 || double.IsNaN(options.SamplingRatio))
        {
            throw new InvalidOperationException("Telemetry:SamplingRatio must be between 0 and 1.");
        }

        // Log scopes carry the current trace and span ids (the JSON console shows them; OTLP log records have them natively).
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(TelemetryNames.ServiceName, serviceVersion: typeof(TelemetryNames).Assembly.GetName().Version?.ToString()))
            .WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SamplingRatio)));
                t.AddSource([.. TelemetryNames.All]);
                t.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrape(context));
                t.AddHttpClientInstrumentation();
                if (options.ConsoleExporter)
                {
                    t.AddConsoleExporter();
                }
                tracing?.Invoke(t);
            })
            .WithMetrics(m =>
            {
                m.AddMeter([.. TelemetryNames.All, .. FrameworkMeters]);
                metrics?.Invoke(m);
            })
            .WithLogging();

        if (options.OtlpEndpoint is { } endpoint)
        {
            builder.UseOtlpExporter(
                string.Equals(options.OtlpProtocol, "http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
                endpoint);
        }
        if (!string.IsNullOrWhiteSpace(options.AzureMonitorConnectionString))
        {
            builder.UseAzureMonitorExporter(o => o.ConnectionString = options.AzureMonitorConnectionString);
        }
        return services;
    }

    private static bool IsScrape(HttpContext context) => context.Request.Path.StartsWithSegments("/metrics");
}

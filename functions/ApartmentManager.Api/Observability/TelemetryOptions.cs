namespace ApartmentManager.Api.Observability;

/// <summary>Where traces, metrics and logs go ("Telemetry" section). Everything is off unless set, except the hosts' own defaults.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>OTLP endpoint (e.g. http://127.0.0.1:4317 for a local collector or Jaeger); traces, metrics and logs go there. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> works too.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Writes every finished span to standard output (a quick look at a trace without a collector).</summary>
    public bool ConsoleExporter { get; set; }

    /// <summary>Application Insights connection string; <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> works too (Azure sets it).</summary>
    public string? AzureMonitorConnectionString { get; set; }

    /// <summary>Fraction of new traces kept (parent-based: a trace that arrives sampled stays sampled). 1 keeps all.</summary>
    public double SamplingRatio { get; set; } = 1.0;
}

using ApartmentManager.Inference.Server.Endpoints;
using ApartmentManager.Inference.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ApartmentManager.Inference.Server;

/// <summary>Builds the model server; Program runs it, the tests and the load tool start it on a loopback port.</summary>
public static class InferenceServerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json beside the binary, wherever the process was started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddInferenceServer(builder.Configuration);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetSection(InferenceServerOptions.SectionName)
                .GetValue<long?>(nameof(InferenceServerOptions.MaxRequestBodyBytes)) ?? new InferenceServerOptions().MaxRequestBodyBytes);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapInferenceEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    public static IServiceCollection AddInferenceServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InferenceServerOptions>()
            .Bind(configuration.GetSection(InferenceServerOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddSingleton<InferenceMetrics>();
        services.AddSingleton<ModelRegistry>();
        services.TryAddSingleton<IReadinessGate, OpenReadinessGate>();
        services.AddHostedService<ModelStartupService>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("apartment-manager-inference"))
            .WithMetrics(metrics => metrics
                .AddMeter(InferenceMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        return services;
    }
}

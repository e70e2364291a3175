using ApartmentManager.Adapters.AzureOpenAI;
using ApartmentManager.Adapters.Inference;
using ApartmentManager.Adapters.Sqlite;
using ApartmentManager.Api;
using ApartmentManager.Api.Http;
using ApartmentManager.Api.Observability;
using ApartmentManager.Pipeline;
using ApartmentManager.Learning;
using ApartmentManager.SingleNode.Security;
using ApartmentManager.SingleNode.WebApp;
using ApartmentManager.Api.Messaging;
using ApartmentManager.Application.Privacy;
using ApartmentManager.Execution.Embedded;
using ApartmentManager.Execution.Webhooks.Subscriptions;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Requests;
using ApartmentManager.Workflow;
using ApartmentManager.Workflow.Embedded;
using ApartmentManager.Workflow.Embedded.Queues;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace ApartmentManager.SingleNode;

/// <summary>
/// Composition of the single-node host. Thin on purpose: it wires configuration, the embedded adapters and the
/// shared API; behaviour lives in the libraries. Tests build it the same way, on a free loopback port.
/// </summary>
public static class SingleNodeApp
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>The same configuration sources the host uses (for commands such as <c>token</c>).</summary>
    public static IConfiguration LoadConfiguration(string[] args)
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Production;
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            // The API enforces 64 KB per body itself (with a problem+json 413); this only stops abuse earlier.
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.AddServerHeader = false;
        });
        builder.Logging.ClearProviders().AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddSqliteRequestStore(builder.Configuration);
        // The LLM is optional everywhere: registered only when AzureOpenAI:Endpoint and :Deployment are set.
        builder.Services.AddAzureOpenAIChatClient(builder.Configuration);
        builder.Services.AddPipeline(builder.Configuration);
        // Learning from outcomes nightly (Learning:RunAtHourUtc; Learning:Enabled=false turns the schedule off).
        builder.Services.AddLearningSchedule();
        // Domain events from the outbox in requests.db to webhook subscribers, signed, retried, dead-lettered.
        builder.Services.AddWebhookDispatch(builder.Configuration, runInBackground: true);
        // Privacy erasure covers executions.db as well as requests.db.
        builder.Services.AddSingleton<IPersonalDataHolder, ExecutionDataEraser>();
        // Inference:Mode = inprocess (default) runs the ONNX models here; remote calls the model server, falling back to them.
        builder.Services.AddRemoteInference(builder.Configuration);
        // Workflow:Engine = embedded (default) runs the pipeline in process; "none" only stores requests (benchmarks, debugging).
        if (!string.Equals(builder.Configuration["Workflow:Engine"], "none", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddEmbeddedWorkflow(builder.Configuration);
        }
        // The embedded stand-ins for the Service Bus queues, consumed by the same handlers as the Functions triggers.
        builder.Services.AddEmbeddedQueues(queues =>
        {
            queues.Handlers[QueueNames.RequestsIntake] = (sp, id, body, ct) => QueueHandlers.HandleIntakeAsync(
                sp.GetRequiredService<RequestService>(), id, Parse(body, ApiJsonContext.Default.IntakeMessage), ct);
            queues.Handlers[QueueNames.Executions] = (sp, id, body, ct) => QueueHandlers.HandleExecutionAsync(
                sp.GetRequiredService<IPipelineSteps>(), id, Parse(body, ApiJsonContext.Default.ExecutionCommand), ct);
        }, builder.Configuration.GetValue("Queues:MaxAttempts", 5));
        builder.Services.AddApartmentManagerApi();
        // Traces and metrics of every concern; /metrics serves Prometheus, OTLP and the console when configured (Telemetry:*).
        builder.Services.AddApartmentManagerTelemetry(builder.Configuration, metrics: m => m.AddPrometheusExporter());
        // Per-caller rate limits (per subject and per address) and residents' caps: section Limits.
        builder.Services.AddCallerLimits(builder.Configuration);
        // The maintenance system's webhook secret: configured, or created once in the data directory.
        builder.Services.AddOptions<WorkOrderHookOptions>().PostConfigure<IOptions<StorageOptions>>((o, storage) =>
        {
            if (string.IsNullOrEmpty(o.SigningSecret))
            {
                o.SigningSecret = HookSecretFile.LoadOrCreate(storage.Value.ResolveDataDirectory());
            }
        });
        AddDevAuthentication(builder);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer(DescribeApi));
        // The same API in OpenAPI 3.0, without the single-node-only queue routes: what API Management imports
        // (committed as infra/openapi/apartment-manager.openapi.json and kept equal to this by a test).
        builder.Services.AddOpenApi(GatewayDocument, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            o.ShouldInclude = description => description.GroupName is null or GatewayDocument
                && !(description.RelativePath ?? "").StartsWith("api/v1/admin/queues", StringComparison.Ordinal)
                && !(description.RelativePath ?? "").StartsWith("api/v1/intake", StringComparison.Ordinal);
            o.AddDocumentTransformer(DescribeApi);
        });
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler(error => error.Run(context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var status = exception is BadHttpRequestException bad ? bad.StatusCode : 500;
            var detail = status == 500
                ? "An unexpected error occurred. Quote the correlation id when you report it."
                : exception!.Message;
            return Problems.WriteAsync(context, status, detail);
        }));
        app.UseStatusCodePages(context => context.HttpContext.Response.HasStarted
            ? Task.CompletedTask
            : Problems.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode,
                Problems.DefaultDetail(context.HttpContext.Response.StatusCode)));
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: limits count per token subject as well as per address

        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Agentic Apartment Manager API"));
        app.UseWebApp();
        app.MapDevSignIn();
        app.MapApartmentManagerApi();
        app.MapEmbeddedQueueEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>A body that is not the expected JSON is a poison message (dead-lettered after its attempts), not a crash.</summary>
    private static T? Parse<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public const string GatewayDocument = "apim";

    private static Task DescribeApi(OpenApiDocument document, Microsoft.AspNetCore.OpenApi.OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Agentic Apartment Manager API";
        document.Info.Description = "Resident requests through classify → predict risk → simulate → decide → execute.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Role 'resident' (sub = resident id) or 'admin'.",
        };
        return Task.CompletedTask;
    }

    private static void AddDevAuthentication(WebApplicationBuilder builder)
    {
        builder.Services.Configure<DevAuthOptions>(builder.Configuration.GetSection(DevAuthOptions.Section));
        builder.Services.AddSingleton(sp =>
        {
            var dataDirectory = sp.GetRequiredService<IOptions<StorageOptions>>().Value.ResolveDataDirectory();
            return new DevTokenIssuer(SigningKeyFile.LoadOrCreate(dataDirectory),
                sp.GetRequiredService<IOptions<DevAuthOptions>>().Value, sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<DevTokenIssuer>((o, issuer) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters();
                o.Events = new JwtBearerEvents
                {
                    OnAuthenticationFailed = context =>
                    {
                        // The caller stays anonymous; the handler's 401 says why the token was refused.
                        context.HttpContext.Items[ApiHandler.AuthErrorItem] = context.Exception.GetType().Name;
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorization();
        // The web app's sign-in page (POST /dev/token): on by default only while the host listens on loopback.
        builder.Services.Configure<DevSignInOptions>(builder.Configuration.GetSection(DevSignInOptions.Section));
    }
}

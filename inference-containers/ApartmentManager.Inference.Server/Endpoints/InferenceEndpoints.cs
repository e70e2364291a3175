using System.Diagnostics;
using System.Text.Json;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Inference.Server.Batching;
using ApartmentManager.Inference.Server.Hosting;
using ApartmentManager.Inference.Server.Models;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Rules;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Inference.Server.Endpoints;

/// <summary>The /v1 API, health probes. Every refusal is application/problem+json: 400/413/415 for the caller's input, 503 (+Retry-After) for load or warm-up.</summary>
public static class InferenceEndpoints
{
    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("live", "text/plain"));
        app.MapGet("/readyz", (ModelRegistry registry, HttpContext context, IOptions<InferenceServerOptions> options) =>
            registry.IsReady ? Results.Text("ready", "text/plain") : NotReady(registry, context, options.Value));
        app.MapGet("/v1/models", (ModelRegistry registry, IOptions<InferenceServerOptions> options) =>
            Results.Json(registry.Describe(options.Value.ExecutionProvider.ToString().ToLowerInvariant()), InferenceJson.Options));

        var v1 = app.MapGroup("/v1");
        v1.MapPost("/classify", ClassifyAsync);
        v1.MapPost("/risk", RiskAsync);
        v1.MapPost("/embeddings", EmbeddingsAsync);
        return app;
    }

    private static async Task<IResult> ClassifyAsync(HttpContext context, ModelRegistry registry, IOptions<InferenceServerOptions> options, InferenceMetrics metrics)
    {
        var o = options.Value;
        return await HandleAsync<ClassifyRequest>(context, registry, o, metrics, "text-classifier", async (request, models, ct) =>
        {
            var errors = RequestValidation.Texts(request.Texts, o);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }
            var texts = request.Texts!;
            var raw = await models.TextBatcher.SubmitAsync(texts.Select(models.Text.Prepare).ToArray(), ct).ConfigureAwait(false);
            var ngram = texts.Select((t, i) => models.Text.Finish(t, raw[i])).ToArray();
            // English texts: the classification heads over the encoder (embeddings through the bucketed batchers and
            // the cache), exactly as the in-process classifier routes them.
            var answers = await TextModelStage.CombineAsync(texts,
                ngram.Select(n => new TextModelOutput(n.CategoryProbabilities, n.UrgencyProbabilities, n.TopFeatures)).ToArray(), models.Text.Version,
                models.Heads, models.Heads is null ? null : (t, c) => new ValueTask<float[][]>(models.Encoder.EmbedAsync(t, c)), RulesEngine.Default, ct).ConfigureAwait(false);
            var results = answers.Select(a => new TextModelScores(a.Output.CategoryProbabilities, a.Output.UrgencyProbabilities, a.Output.TopFeatures, a.ModelVersion)).ToArray();
            return Results.Json(new ClassifyResponse(models.Text.Name, models.Text.Version, Taxonomy.CategoryNames, Taxonomy.UrgencyNames, results), InferenceJson.Options);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> RiskAsync(HttpContext context, ModelRegistry registry, IOptions<InferenceServerOptions> options, InferenceMetrics metrics)
    {
        var o = options.Value;
        return await HandleAsync<RiskRequest>(context, registry, o, metrics, "risk-model", async (request, models, ct) =>
        {
            var errors = RequestValidation.RiskRows(request.Rows, o);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }
            var results = await models.RiskBatcher.SubmitAsync(request.Rows!.Select(r => r!).ToArray(), ct).ConfigureAwait(false);
            return Results.Json(new RiskResponse(models.Risk.Name, models.Risk.Version, results), InferenceJson.Options);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> EmbeddingsAsync(HttpContext context, ModelRegistry registry, IOptions<InferenceServerOptions> options, InferenceMetrics metrics)
    {
        var o = options.Value;
        return await HandleAsync<EmbeddingsRequest>(context, registry, o, metrics, EncoderModel.ModelName, async (request, models, ct) =>
        {
            var errors = RequestValidation.Texts(request.Texts, o);
            if (errors.Count > 0)
            {
                return Invalid(errors);
            }
            var results = await models.Encoder.EmbedAsync(request.Texts!, ct).ConfigureAwait(false);
            var encoder = models.Encoder.Model;
            return Results.Json(new EmbeddingsResponse(encoder.Name, encoder.Version, encoder.Dimensions, results), InferenceJson.Options);
        }).ConfigureAwait(false);
    }

    /// <summary>Readiness, content type, body parsing and the 503/499 mapping shared by every /v1 POST.</summary>
    private static async Task<IResult> HandleAsync<TRequest>(
        HttpContext context, ModelRegistry registry, InferenceServerOptions options, InferenceMetrics metrics, string model,
        Func<TRequest, LoadedModels, CancellationToken, Task<IResult>> handle)
        where TRequest : class
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            if (registry.Models is not { } models)
            {
                outcome = "not_ready";
                metrics.RecordRejected(model, outcome);
                return NotReady(registry, context, options);
            }
            if (!context.Request.HasJsonContentType())
            {
                outcome = "invalid";
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json.");
            }
            TRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<TRequest>(context.Request.Body, InferenceJson.Options, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                outcome = "invalid";
                // The serializer's message names the path and position without echoing the payload.
                return Problem(StatusCodes.Status400BadRequest, "Invalid JSON", ex.Message);
            }
            catch (BadHttpRequestException ex)
            {
                outcome = "invalid";
                return Problem(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                    ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? $"The body limit is {options.MaxRequestBodyBytes} bytes." : ex.Message);
            }
            if (request is null)
            {
                outcome = "invalid";
                return Problem(StatusCodes.Status400BadRequest, "Invalid JSON", "The body must be a JSON object, not null.");
            }
            var result = await handle(request, models, context.RequestAborted).ConfigureAwait(false);
            if (result is IStatusCodeHttpResult { StatusCode: >= 400 })
            {
                outcome = "invalid";
            }
            return result;
        }
        catch (QueueFullException)
        {
            outcome = "overloaded";
            metrics.RecordRejected(model, outcome);
            context.Response.Headers.RetryAfter = options.Batching.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status503ServiceUnavailable, "Server busy", $"The {model} queue is full; retry after {options.Batching.RetryAfterSeconds} s.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller hung up; nobody reads this answer.
            outcome = "cancelled";
            return Results.StatusCode(499);
        }
        finally
        {
            metrics.RecordRequest(model, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static IResult NotReady(ModelRegistry registry, HttpContext context, InferenceServerOptions options)
    {
        context.Response.Headers.RetryAfter = options.Batching.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return registry.Failure is { } failure
            ? Problem(StatusCodes.Status503ServiceUnavailable, "Models failed to load", failure)
            : Problem(StatusCodes.Status503ServiceUnavailable, "Warming up", "The models are loading or warming up.");
    }

    private static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "Invalid request", type: "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}

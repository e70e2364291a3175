using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Observability;
using ApartmentManager.Observability.Usage;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Adapters.Inference;

/// <summary>
/// Typed client for the inference server's /v1 API. Resilience (attempt timeout, retries, circuit breaker, total
/// timeout) lives in the HttpClient's handler pipeline; this class splits large inputs and refuses any answer that
/// does not fit the request (wrong count, wrong labels, non-finite or out-of-range numbers) with
/// <see cref="InferenceServerException"/>, so garbage never reaches the pipeline.
/// </summary>
public sealed class InferenceClient(HttpClient http, IOptions<InferenceClientOptions> options)
{
    private readonly int _chunk = options.Value.MaxItemsPerRequest;

    /// <summary>The text-model stage on the server; each answer names the model that scored it.</summary>
    public async Task<IReadOnlyList<TextModelAnswer>> ScoreTextsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var outputs = new List<TextModelAnswer>(texts.Count);
        foreach (var chunk in texts.Chunk(_chunk))
        {
            var response = await PostAsync<ClassifyRequest, ClassifyResponse>("v1/classify", new ClassifyRequest(chunk), chunk.Length, cancellationToken).ConfigureAwait(false);
            Require(response.Results is not null && response.Results.Count == chunk.Length, $"classify returned {response.Results?.Count} results for {chunk.Length} texts");
            Require(response.CategoryLabels is not null && response.CategoryLabels.SequenceEqual(Taxonomy.CategoryNames), "classify category labels differ from this build's taxonomy");
            Require(response.UrgencyLabels is not null && response.UrgencyLabels.SequenceEqual(Taxonomy.UrgencyNames), "classify urgency labels differ from this build's taxonomy");
            foreach (var r in response.Results!)
            {
                Require(r is not null && IsDistribution(r.CategoryProbabilities, Taxonomy.Categories.Count) && IsDistribution(r.UrgencyProbabilities, Taxonomy.Urgencies.Count),
                    "classify returned probabilities that are not a distribution over the labels");
                var version = r!.ModelVersion ?? response.ModelVersion ?? "unknown";
                outputs.Add(new TextModelAnswer(new TextModelOutput(r.CategoryProbabilities, r.UrgencyProbabilities, r.TopFeatures ?? []), version, version != (response.ModelVersion ?? "")));
            }
        }
        return outputs;
    }

    public async Task<IReadOnlyList<RiskAssessment>> PredictRiskAsync(IReadOnlyList<RiskFeatures> rows, CancellationToken cancellationToken = default)
    {
        var results = new List<RiskAssessment>(rows.Count);
        foreach (var chunk in rows.Chunk(_chunk))
        {
            var response = await PostAsync<RiskRequest, RiskResponse>("v1/risk", new RiskRequest(chunk), chunk.Length, cancellationToken).ConfigureAwait(false);
            Require(response.Results is not null && response.Results.Count == chunk.Length, $"risk returned {response.Results?.Count} results for {chunk.Length} rows");
            foreach (var r in response.Results!)
            {
                Require(r is not null && double.IsFinite(r.Probability) && r.Probability is >= 0 and <= 1 && Enum.IsDefined(r.Level)
                    && r.Factors is not null && r.Factors.All(f => f is not null && f.Name is not null && double.IsFinite(f.Contribution)),
                    "risk returned a probability outside [0, 1] or malformed factors");
                results.Add(r!);
            }
        }
        return results;
    }

    public async Task<(float[][] Vectors, string ModelVersion, int Dimensions)> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var vectors = new List<float[]>(texts.Count);
        var version = "";
        var dims = 0;
        foreach (var chunk in texts.Chunk(_chunk))
        {
            var response = await PostAsync<EmbeddingsRequest, EmbeddingsResponse>("v1/embeddings", new EmbeddingsRequest(chunk), chunk.Length, cancellationToken).ConfigureAwait(false);
            Require(response.Embeddings is not null && response.Embeddings.Count == chunk.Length, $"embeddings returned {response.Embeddings?.Count} vectors for {chunk.Length} texts");
            Require(response.Dimensions > 0 && response.Embeddings!.All(v => v is not null && v.Length == response.Dimensions && v.All(float.IsFinite)),
                "embeddings returned vectors of the wrong length or with non-finite values");
            Require(dims == 0 || dims == response.Dimensions, "embeddings changed dimension between chunks");
            dims = response.Dimensions;
            version = response.ModelVersion ?? "unknown";
            vectors.AddRange(response.Embeddings!);
        }
        return ([.. vectors], version, dims);
    }

    /// <summary>One call to the model server in its client span; its latency goes to the metric and the request's usage.</summary>
    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest request, int items, CancellationToken cancellationToken)
        where TResponse : class
    {
        var operation = path[(path.LastIndexOf('/') + 1)..];
        using var span = InferenceTelemetry.StartCall(operation, items);
        var started = Stopwatch.GetTimestamp();
        var ok = false;
        try
        {
            var response = await SendAsync<TRequest, TResponse>(path, request, cancellationToken).ConfigureAwait(false);
            ok = true;
            return response;
        }
        catch (Exception e)
        {
            span.Fail(e);
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            InferenceTelemetry.Record(operation, elapsed, ok);
            UsageRecorder.Current?.AddModelServer(elapsed);
        }
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(string path, TRequest request, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var response = await http.PostAsJsonAsync(path, request, InferenceJson.Options, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InferenceServerException($"{path} answered {(int)response.StatusCode}: {Truncate(detail)}");
        }
        try
        {
            return await response.Content.ReadFromJsonAsync<TResponse>(InferenceJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new InferenceServerException($"{path} answered null");
        }
        catch (JsonException ex)
        {
            throw new InferenceServerException($"{path} answered a body that is not the expected JSON: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new InferenceServerException($"{path} answered content type '{response.Content.Headers.ContentType}'", ex);
        }
    }

    private static bool IsDistribution(float[]? p, int count)
    {
        if (p is null || p.Length != count)
        {
            return false;
        }
        double sum = 0;
        foreach (var x in p)
        {
            if (!float.IsFinite(x) || x < 0 || x > 1.0001f)
            {
                return false;
            }
            sum += x;
        }
        return Math.Abs(sum - 1) < 1e-3;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InferenceServerException("Unusable answer from the inference server: " + problem + ".");
        }
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}

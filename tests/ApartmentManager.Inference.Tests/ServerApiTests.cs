using System.Net;
using System.Net.Http.Json;
using System.Text;
using ApartmentManager.Inference.Contracts;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Scoring;

namespace ApartmentManager.Inference.Tests;

/// <summary>The /v1 API against the in-process models on the same files: the server must answer exactly what they answer.</summary>
public sealed class ServerApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string ModelPath(string file) => Path.Combine(AppContext.BaseDirectory, "models", file);
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Classify_matches_the_in_process_text_model_stage()
    {
        var texts = Enumerable.Range(0, 20).Select(Samples.Text).ToArray();
        using var local = new LocalStage();
        var expected = await local.Stage.ScoreAsync(texts, CancellationToken.None);
        Assert.Contains(expected, a => a.Encoder);   // English samples go to the encoder heads
        Assert.Contains(expected, a => !a.Encoder);  // the Spanish ones to the n-gram model

        var response = await Http.PostAsJsonAsync("v1/classify", new ClassifyRequest(texts), InferenceJson.Options);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<ClassifyResponse>(InferenceJson.Options))!;

        Assert.Equal(local.NGram.Version, body.ModelVersion);
        Assert.Equal(texts.Length, body.Results.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(expected[i].Output.CategoryProbabilities, body.Results[i].CategoryProbabilities);
            AssertClose(expected[i].Output.UrgencyProbabilities, body.Results[i].UrgencyProbabilities);
            Assert.Equal(expected[i].Output.TopFeatures, body.Results[i].TopFeatures);
            Assert.Equal(expected[i].ModelVersion, body.Results[i].ModelVersion);
        }
    }

    [Fact]
    public async Task Risk_matches_the_in_process_predictor()
    {
        var rows = Enumerable.Range(0, 40).Select(Samples.Risk).ToArray();
        using var local = new OnnxRiskPredictor(ModelPath("risk-model.onnx"));
        var expected = local.PredictBatch(rows);

        var response = await Http.PostAsJsonAsync("v1/risk", new RiskRequest(rows), InferenceJson.Options);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<RiskResponse>(InferenceJson.Options))!;

        Assert.Equal(rows.Length, body.Results.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected[i].Probability, body.Results[i].Probability, 5);
            Assert.Equal(expected[i].Level, body.Results[i].Level);
            Assert.Equal(expected[i].Factors, body.Results[i].Factors);
            Assert.Equal(expected[i].ModelVersion, body.Results[i].ModelVersion);
        }
    }

    [Fact]
    public async Task Embeddings_match_the_in_process_encoder()
    {
        var texts = Enumerable.Range(0, 30).Select(Samples.Text).Append("zzqx qqzv").Append(new string('a', 5) + " " + string.Concat(Enumerable.Repeat("long message ", 150))).ToArray();
        var local = SharedSentenceEncoders.Default;
        var expected = texts.Select(local.Encoder.Encode).ToArray();

        var response = await Http.PostAsJsonAsync("v1/embeddings", new EmbeddingsRequest(texts), InferenceJson.Options);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<EmbeddingsResponse>(InferenceJson.Options))!;

        Assert.Equal(local.ModelVersion, body.ModelVersion);
        Assert.Equal(local.Dimensions, body.Dimensions);
        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(expected[i], body.Embeddings[i]);
        }
        Assert.All(body.Embeddings, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
    }

    [Fact]
    public async Task Models_lists_every_model_with_its_tensors()
    {
        var models = (await Http.GetFromJsonAsync<ModelsResponse>("v1/models", InferenceJson.Options))!;
        Assert.True(models.Ready);
        Assert.Equal("cpu", models.ExecutionProvider);
        Assert.Equal(["text-classifier", "risk-model", "encoder"], models.Models.Select(m => m.Name));
        Assert.All(models.Models, m => Assert.True(m.WarmedUp));
        var text = models.Models[0];
        Assert.Equal([-1L, 16384L], text.Inputs.Single(i => i.Name == "features").Shape);
        Assert.Contains(text.Outputs, o => o.Name == "category_probabilities");
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], models.Models[2].Inputs.Select(i => i.Name));
    }

    [Fact]
    public async Task Metrics_are_exported_in_prometheus_text_format()
    {
        (await Http.PostAsJsonAsync("v1/embeddings", new EmbeddingsRequest(["water leak"]), InferenceJson.Options)).EnsureSuccessStatusCode();
        var text = await Http.GetStringAsync("metrics");
        Assert.Contains("inference_request_duration_seconds_bucket", text);
        Assert.Contains("inference_batch_size", text);
        Assert.Contains("inference_queue_depth", text);
        Assert.Contains("inference_warmup_runs", text);
    }

    public static TheoryData<string, string, string> BadBodies()
    {
        var huge = new string('a', 1024 * 1024);
        var many = "{\"texts\":[" + string.Join(",", Enumerable.Repeat("\"leak\"", 65)) + "]}";
        return new TheoryData<string, string, string>
        {
            { "v1/classify", "{\"texts\": [\"leak\"", "invalid JSON (truncated)" },
            { "v1/classify", "not json at all", "invalid JSON" },
            { "v1/classify", "null", "null body" },
            { "v1/classify", "{}", "texts missing" },
            { "v1/classify", "{\"texts\": 5}", "texts of the wrong type" },
            { "v1/classify", "{\"texts\": []}", "no texts" },
            { "v1/classify", many, "too many texts" },
            { "v1/classify", "{\"texts\": [\"\"]}", "empty text" },
            { "v1/classify", "{\"texts\": [\"   \"]}", "blank text" },
            { "v1/classify", "{\"texts\": [null]}", "null text" },
            { "v1/classify", "{\"texts\": [[\"nested\"]]}", "wrong shape" },
            { "v1/classify", "{\"texts\": [\"" + huge + "\"]}", "1 MB string" },
            { "v1/embeddings", "{\"texts\": [\"" + huge + "\"]}", "1 MB string" },
            { "v1/embeddings", "{\"texts\": [\"ok\", \"\"]}", "empty text" },
            { "v1/risk", "{\"rows\": [{\"category\":\"plumbing\",\"urgency\":\"high\",\"hazardCues\":1,\"hour\":99,\"weekday\":\"monday\",\"season\":\"winter\"}]}", "hour out of range" },
            { "v1/risk", "{\"rows\": [{\"category\":\"volcano\",\"urgency\":\"high\",\"hazardCues\":1,\"hour\":9,\"weekday\":\"monday\",\"season\":\"winter\"}]}", "unknown category" },
            { "v1/risk", "{\"rows\": [{\"urgency\":\"high\",\"hazardCues\":1,\"hour\":9,\"weekday\":\"monday\",\"season\":\"winter\"}]}", "category missing" },
            { "v1/risk", "{\"rows\": [{\"category\":\"plumbing\",\"urgency\":3,\"hazardCues\":1,\"hour\":9,\"weekday\":\"monday\",\"season\":\"winter\"}]}", "enum as number" },
            { "v1/risk", "{\"rows\": [{\"category\":\"plumbing\",\"urgency\":\"high\",\"hazardCues\":\"1\",\"hour\":9,\"weekday\":\"monday\",\"season\":\"winter\"}]}", "number as string" },
            { "v1/risk", "{\"rows\": [null]}", "null row" },
            { "v1/risk", "{\"rows\": [[1,2,3]]}", "row of the wrong shape" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_problem(string path, string body, string why)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(path, content);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // The server is still fine afterwards.
        (await Http.PostAsJsonAsync("v1/classify", new ClassifyRequest(["my sink leaks"]), InferenceJson.Options)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        using var text = new StringContent("{\"texts\":[\"leak\"]}", Encoding.UTF8, "text/plain");
        using var r1 = await Http.PostAsync("v1/classify", text);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r1.StatusCode);
        Assert.Equal("application/problem+json", r1.Content.Headers.ContentType?.MediaType);
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}

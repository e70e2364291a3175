using ApartmentManager.Domain;
using ApartmentManager.Intelligence;
using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using ApartmentManager.Intelligence.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Benchmarks.Intelligence;

/// <summary>
/// In-process classification (guardrails + rules + ONNX text model, LLM off; with and without the sentence encoder
/// and its heads) and risk prediction, per item and per
/// batch of 64, on the committed models. Run: dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- --filter '*Intelligence*'
/// </summary>
[MemoryDiagnoser]
public class IntelligenceBenchmarks
{
    private static readonly string[] Samples =
    [
        "The kitchen faucet has been dripping for three days, can someone fix it",
        "I smell gas in the hallway near unit 4B!!",
        "I was charged a late fee but I paid rent on the 1st, please remove it",
        "Hay cucarachas en la cocina y en el baño",
        "neighbors upstairs stomping at 2am again, cant sleep. Also the dryer takes 3 cycles",
        "My package was marked delivered by UPS but it's not in the mailroom",
        "no hot water since yesterday morning, kids need baths",
        "What are the pool hours this summer?",
    ];

    private OnnxTextModel _textModel = null!;
    private RequestClassifier _classifier = null!;
    private RequestClassifier _encoderClassifier = null!;
    private OnnxEncoderHeads _heads = null!;
    private OnnxRiskPredictor _risk = null!;
    private readonly TextFeaturizer _featurizer = new();
    private readonly float[] _buffer = new float[TextFeaturizer.DefaultDimension];
    private string[] _batch = null!;
    private RiskFeatures[] _riskBatch = null!;
    private RiskFeatures _riskOne = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new IntelligenceOptions());
        _textModel = new OnnxTextModel(options);
        _classifier = new RequestClassifier(_textModel, options);
        // As the hosts build it, but with the embedding cache off: every call pays the encoder pass.
        _heads = new OnnxEncoderHeads(Path.Combine(AppContext.BaseDirectory, "models", OnnxEncoderHeads.FileName));
        var embedder = new ApartmentManager.Scoring.EncoderTextEmbedder(ApartmentManager.Scoring.SharedSentenceEncoders.Default.Encoder, new ApartmentManager.Scoring.EmbeddingCache(0));
        _encoderClassifier = new RequestClassifier(_textModel, options, stage: new TextModelStage(_textModel, _heads, embedder.EmbedManyAsync));
        _risk = new OnnxRiskPredictor(options);
        _batch = Enumerable.Range(0, 64).Select(i => Samples[i % Samples.Length]).ToArray();
        var rng = new Random(1);
        _riskBatch = Enumerable.Range(0, 64).Select(_ => new RiskFeatures(
            (Category)rng.Next(13), (Urgency)rng.Next(4), rng.Next(3), rng.Next(24), (DayOfWeek)rng.Next(7), (Season)rng.Next(4),
            rng.Next(1, 90), rng.Next(5), rng.Next(3), rng.Next(2) == 1, rng.Next(400))).ToArray();
        _riskOne = _riskBatch[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _textModel.Dispose();
        _risk.Dispose();
        _heads.Dispose();
    }

    [Benchmark]
    public void Featurize() => _featurizer.Featurize(Samples[0], _buffer);

    [Benchmark]
    public TextModelOutput TextModelOne() => _textModel.Score(Samples[4]);

    [Benchmark]
    public Task<Classification> ClassifyOne() => _classifier.ClassifyAsync(Samples[4]);

    [Benchmark(OperationsPerInvoke = 64)]
    public Task<IReadOnlyList<Classification>> ClassifyBatch64PerItem() => _classifier.ClassifyBatchAsync(_batch);

    /// <summary>The pipeline's classify step as the hosts run it now: + one encoder pass (cache off) + the heads.</summary>
    [Benchmark]
    public Task<Classification> ClassifyOneWithEncoder() => _encoderClassifier.ClassifyAsync(Samples[4]);

    [Benchmark(OperationsPerInvoke = 64)]
    public Task<IReadOnlyList<Classification>> ClassifyBatch64WithEncoderPerItem() => _encoderClassifier.ClassifyBatchAsync(_batch);

    [Benchmark]
    public RiskAssessment RiskOne() => _risk.PredictBatch([_riskOne])[0];

    [Benchmark(OperationsPerInvoke = 64)]
    public IReadOnlyList<RiskAssessment> RiskBatch64PerItem() => _risk.PredictBatch(_riskBatch);
}

using ApartmentManager.Scoring;
using BenchmarkDotNet.Attributes;

namespace ApartmentManager.Benchmarks.Knowledge;

/// <summary>
/// The pretrained sentence encoder in process (one session, intra-op threads 1): one message; 32 messages of similar
/// length in one call; 32 messages of mixed length padded together as they come, against the same 32 sorted into
/// length buckets first. Per-item figures are the mean divided by 32 (OperationsPerInvoke).
/// Run: dotnet run -c Release --project tests/ApartmentManager.Benchmarks -- --filter '*EncoderBenchmarks*' --inProcess
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private SentenceEncoder _encoder = null!;
    private string _one = "";
    private EncoderTokens[] _similar = [];
    private EncoderTokens[] _mixed = [];

    [GlobalSetup]
    public void Setup()
    {
        _encoder = SharedSentenceEncoders.Default.Encoder;
        _one = "The bathroom fan rattles loudly when it runs and the light flickers";
        _similar = Enumerable.Range(0, 32).Select(i => _encoder.Tokenize($"message {i}: the kitchen sink is leaking under the cabinet again")).ToArray();
        var random = new Random(42);
        _mixed = Enumerable.Range(0, 32).Select(i => _encoder.Tokenize(
            $"message {i}: the heater is noisy" + string.Concat(Enumerable.Repeat(" and it keeps getting worse every single night", random.Next(0, 12))))).ToArray();
    }

    [Benchmark(Baseline = true)]
    public float[] OneMessage() => _encoder.Encode(_one);

    [Benchmark(OperationsPerInvoke = 32)]
    public float[][] Batch32SimilarLengthsPerItem() => _encoder.RunPadded(_similar);

    [Benchmark(OperationsPerInvoke = 32)]
    public float[][] Batch32MixedLengthsPaddedTogetherPerItem() => _encoder.RunPadded(_mixed);

    [Benchmark(OperationsPerInvoke = 32)]
    public float[][] Batch32MixedLengthsBucketedPerItem() => _encoder.EncodeTokens(_mixed, maxBatchSize: 8);
}

using ApartmentManager.Scoring;

namespace ApartmentManager.Inference.Server.Models;

/// <summary>
/// The pretrained sentence encoder behind the server: word-piece tokenisation on the request's thread, one padded
/// session call per batch on the batch worker (<see cref="SentenceEncoder.RunPadded"/>: mean-pool + normalise), the
/// same code the hosts run in process, so the vectors are identical. The encoder is the process-wide one
/// (<see cref="SharedSentenceEncoders"/>), never disposed by the server.
/// </summary>
public sealed class EncoderModel : ServedModel<string, EncoderTokens, float[], float[]>
{
    public const string ModelName = "encoder";
    private readonly SentenceEncoder encoder;

    public EncoderModel(SentenceEncoder encoder)
        : base(ModelName, "encoder/" + SentenceEncoder.ModelFileName, encoder.Onnx, ownsSession: false)
    {
        this.encoder = encoder;
        Version = encoder.Version;
    }

    public SentenceEncoder Encoder => encoder;

    public int Dimensions => SentenceEncoder.Dimensions;

    public override EncoderTokens Prepare(string input) => encoder.Tokenize(input);

    public override float[][] RunBatch(IReadOnlyList<EncoderTokens> rows) => encoder.RunPadded(rows);

    public override float[] Finish(string input, float[] raw) => raw;

    protected override string[] SampleRows(int count) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0
            ? "water leak under the kitchen sink"
            : "noise from the neighbours late at night, the heating is broken and the radiator in the bedroom is cold").ToArray();

    /// <summary>Short messages at batch 1 and the full batch size, plus a few long ones: the shapes traffic brings, without minutes of CPU.</summary>
    public override int WarmUp(int iterations, int maxBatchSize)
    {
        var runs = 0;
        var longText = string.Concat(Enumerable.Repeat("the hallway light keeps flickering and the elevator is stuck again, ", 12));
        for (var i = 0; i < iterations; i++)
        {
            _ = Run(SampleRows(1));
            _ = Run(SampleRows(maxBatchSize));
            _ = Run([longText, longText]);
            runs += 3;
        }
        return runs;
    }
}

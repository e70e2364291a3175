using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Scoring;

namespace ApartmentManager.Inference.Tests;

/// <summary>The in-process text-model stage the server must match: n-gram model, encoder heads, the shared encoder.</summary>
internal sealed class LocalStage : IDisposable
{
    public LocalStage()
    {
        NGram = new OnnxTextModel(Path.Combine(AppContext.BaseDirectory, "models", "text-classifier.onnx"));
        Heads = new OnnxEncoderHeads(Path.Combine(AppContext.BaseDirectory, "models", OnnxEncoderHeads.FileName));
        Stage = new TextModelStage(NGram, Heads, SharedSentenceEncoders.Default.EmbedManyAsync);
    }

    public OnnxTextModel NGram { get; }
    public OnnxEncoderHeads Heads { get; }
    public TextModelStage Stage { get; }

    public void Dispose()
    {
        NGram.Dispose();
        Heads.Dispose();
    }
}

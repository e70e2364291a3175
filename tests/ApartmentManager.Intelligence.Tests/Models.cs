using ApartmentManager.Intelligence.Classifier;
using ApartmentManager.Intelligence.Risk;
using Microsoft.Extensions.Options;

namespace ApartmentManager.Intelligence.Tests;

/// <summary>The committed model files, loaded once per test run from the output folder (copied there by the Intelligence project).</summary>
public sealed class Models : IDisposable
{
    public Models()
    {
        Options = new IntelligenceOptions();
        TextModel = new OnnxTextModel(Microsoft.Extensions.Options.Options.Create(Options));
        Risk = new OnnxRiskPredictor(Microsoft.Extensions.Options.Options.Create(Options));
        Classifier = new RequestClassifier(TextModel, Microsoft.Extensions.Options.Options.Create(Options));
        Heads = new OnnxEncoderHeads(PathOf(OnnxEncoderHeads.FileName));
        Stage = new TextModelStage(TextModel, Heads, Embedder.EmbedManyAsync);
        EncoderClassifier = new RequestClassifier(TextModel, Microsoft.Extensions.Options.Options.Create(Options), stage: Stage);
    }

    /// <summary>The sentence encoder: one session for the whole test run.</summary>
    public static ApartmentManager.Scoring.EncoderTextEmbedder Embedder => ApartmentManager.Scoring.SharedSentenceEncoders.Default;

    public OnnxEncoderHeads Heads { get; }
    public TextModelStage Stage { get; }

    /// <summary>The classifier as the hosts build it: encoder heads for English, the n-gram model otherwise.</summary>
    public RequestClassifier EncoderClassifier { get; }

    public IntelligenceOptions Options { get; }
    public OnnxTextModel TextModel { get; }
    public OnnxRiskPredictor Risk { get; }
    public RequestClassifier Classifier { get; }

    public static string PathOf(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", file);

    public void Dispose()
    {
        TextModel.Dispose();
        Risk.Dispose();
        Heads.Dispose();
    }
}

[CollectionDefinition(nameof(ModelsCollection))]
public sealed class ModelsCollection : ICollectionFixture<Models>;

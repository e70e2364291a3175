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
    }

    public IntelligenceOptions Options { get; }
    public OnnxTextModel TextModel { get; }
    public OnnxRiskPredictor Risk { get; }
    public RequestClassifier Classifier { get; }

    public static string PathOf(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", file);

    public void Dispose()
    {
        TextModel.Dispose();
        Risk.Dispose();
    }
}

[CollectionDefinition(nameof(ModelsCollection))]
public sealed class ModelsCollection : ICollectionFixture<Models>;

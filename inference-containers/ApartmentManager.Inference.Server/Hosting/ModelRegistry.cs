using ApartmentManager.Inference.Contracts;
using ApartmentManager.Domain;
using ApartmentManager.Inference.Server.Batching;
using ApartmentManager.Inference.Server.Models;
using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.Inference.Server.Hosting;

/// <summary>
/// The loaded models, their batchers and the readiness state. Empty until <see cref="ModelStartupService"/> has
/// loaded and warmed up every model; endpoints answer 503 until then.
/// </summary>
public sealed class ModelRegistry : IAsyncDisposable
{
    private volatile LoadedModels? _models;
    private volatile string? _failure;

    public bool IsReady => _models is not null;

    /// <summary>Why the server can never become ready (a model failed to load), or null.</summary>
    public string? Failure => _failure;

    public LoadedModels? Models => _models;

    internal void Publish(LoadedModels models) => _models = models;

    internal void Fail(string reason) => _failure = reason;

    public ModelsResponse Describe(string executionProvider)
    {
        var models = _models;
        return models is null
            ? new ModelsResponse(false, executionProvider, [])
            : new ModelsResponse(true, models.Text.ExecutionProvider, models.All.Select(m => m.Describe(warmedUp: true)).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        if (_models is { } models)
        {
            _models = null;
            await models.DisposeAsync().ConfigureAwait(false);
        }
    }
}

public sealed class LoadedModels(
    TextClassifierModel text, DynamicBatcher<float[], TextModelRaw> textBatcher,
    RiskModel risk, DynamicBatcher<RiskFeatures, RiskAssessment> riskBatcher,
    EncoderService encoder,
    ApartmentManager.Intelligence.Classifier.OnnxEncoderHeads? heads) : IAsyncDisposable
{
    public TextClassifierModel Text { get; } = text;
    public DynamicBatcher<float[], TextModelRaw> TextBatcher { get; } = textBatcher;
    public RiskModel Risk { get; } = risk;
    public DynamicBatcher<RiskFeatures, RiskAssessment> RiskBatcher { get; } = riskBatcher;
    public EncoderService Encoder { get; } = encoder;

    /// <summary>The classification heads over the encoder (null: the n-gram model answers every text).</summary>
    public ApartmentManager.Intelligence.Classifier.OnnxEncoderHeads? Heads { get; } = heads;

    public IReadOnlyList<IServedModel> All => [Text, Risk, Encoder.Model];

    public async ValueTask DisposeAsync()
    {
        await TextBatcher.DisposeAsync().ConfigureAwait(false);
        await RiskBatcher.DisposeAsync().ConfigureAwait(false);
        await Encoder.DisposeAsync().ConfigureAwait(false);
        Heads?.Dispose();
        foreach (var model in All)
        {
            model.Dispose();
        }
    }
}

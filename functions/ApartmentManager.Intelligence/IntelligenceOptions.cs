using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Intelligence;

/// <summary>Configuration section "Intelligence".</summary>
public sealed class IntelligenceOptions
{
    public const string SectionName = "Intelligence";

    /// <summary>Folder with text-classifier.onnx and risk-model.onnx; relative paths resolve against AppContext.BaseDirectory. Default "models".</summary>
    public string ModelDirectory { get; set; } = "models";

    public string TextModelFile { get; set; } = "text-classifier.onnx";
    public string RiskModelFile { get; set; } = "risk-model.onnx";

    /// <summary>Classification heads over the sentence encoder (English text); without the file the n-gram model serves every message.</summary>
    public string EncoderHeadsFile { get; set; } = "encoder-heads.onnx";

    /// <summary>false: every message goes to the n-gram model (no encoder pass).</summary>
    public bool UseEncoder { get; set; } = true;

    /// <summary>Below this confidence (min of category and urgency confidence) the LLM is consulted, if one is registered.</summary>
    [Range(0.0, 1.0)]
    public double LlmConfidenceThreshold { get; set; } = 0.6;

    /// <summary>
    /// The model's P(emergency) at or above which urgency is emergency even if another level is likelier:
    /// a missed emergency costs far more than a false alarm.
    /// </summary>
    [Range(0.0, 1.0)]
    public double EmergencyProbabilityThreshold { get; set; } = 0.3;

    /// <summary>Budget for one LLM call, retries included, before falling back.</summary>
    [Range(1, 300)]
    public int LlmTimeoutSeconds { get; set; } = 20;

    /// <summary>Most items per batch call (the API's limit).</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Intra-op threads per ONNX Runtime session; 1 keeps small models fast and predictable under concurrency.</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Where the configured risk model is read from.</summary>
    public string RiskModelPath => ResolvePath(RiskModelFile);

    internal string ResolvePath(string file)
    {
        var dir = Path.IsPathRooted(ModelDirectory) ? ModelDirectory : Path.Combine(AppContext.BaseDirectory, ModelDirectory);
        return Path.Combine(dir, file);
    }
}

using System.ComponentModel.DataAnnotations;

namespace ApartmentManager.Scoring;

/// <summary>Configuration section "Encoder": the in-process sentence encoder shared by classification and retrieval.</summary>
public sealed class EncoderOptions
{
    public const string SectionName = "Encoder";

    /// <summary>Folder with model.onnx and vocab.txt; relative paths resolve against AppContext.BaseDirectory. The build puts them in models/encoder.</summary>
    public string Directory { get; set; } = "models/encoder";

    [Range(8, 512)]
    public int MaxTokens { get; set; } = SentenceEncoder.DefaultMaxTokens;

    /// <summary>Most texts per session call (texts are sorted by length first).</summary>
    [Range(1, 1024)]
    public int MaxBatchSize { get; set; } = 32;

    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Embeddings kept by normalised-text hash (0 turns the cache off).</summary>
    [Range(0, 1_000_000)]
    public int CacheCapacity { get; set; } = 4096;

    public string ResolveDirectory() => Path.IsPathRooted(Directory) ? Directory : Path.Combine(AppContext.BaseDirectory, Directory);
}

namespace ApartmentManager.Knowledge.Retrieval;

/// <summary>Retrieval settings, bound from the configuration section <c>Retrieval</c>.</summary>
public sealed class RetrieverOptions
{
    public const string SectionName = "Retrieval";

    /// <summary>Results returned when a query does not say (<see cref="Application.Ports.RetrievalQuery.Top"/> = 0).</summary>
    public int DefaultTop { get; set; } = 5;

    /// <summary>Largest <c>top</c> a caller may ask for.</summary>
    public int MaxTop { get; set; } = 20;

    /// <summary>Longest query text accepted, in characters.</summary>
    public int MaxQueryLength { get; set; } = 4000;

    /// <summary>Most tags a query may filter on.</summary>
    public int MaxTags { get; set; } = 20;

    /// <summary>How deep each ranked list (BM25, dense) goes before fusion.</summary>
    public int CandidatePool { get; set; } = 40;

    /// <summary>The k of reciprocal-rank fusion, score = Σ weight / (k + rank). 60 is the value from Cormack et al.</summary>
    public double RrfK { get; set; } = 60;

    public double Bm25Weight { get; set; } = 1.0;

    public double DenseWeight { get; set; } = 1.0;

    public double Bm25K1 { get; set; } = 1.2;

    public double Bm25B { get; set; } = 0.75;

    /// <summary>Use the sentence encoder (section "Encoder"). When false, or when its files are missing, retrieval is BM25 only.</summary>
    public bool EnableDense { get; set; } = true;

    internal static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, path));
}

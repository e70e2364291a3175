namespace ApartmentManager.EmbeddingTraining;

/// <summary>Hyper-parameters of the embedding model. Changing any of them changes the model version.</summary>
public sealed record EmbeddingTrainingOptions
{
    public int Dimensions { get; init; } = 64;

    /// <summary>Words on each side counted as a word's context.</summary>
    public int Window { get; init; } = 4;

    public ulong Seed { get; init; } = 42;

    /// <summary>Extra random directions in the randomized SVD, for accuracy of the leading ones.</summary>
    public int Oversampling { get; init; } = 16;

    public int PowerIterations { get; init; } = 4;

    /// <summary>Context-distribution smoothing exponent of PPMI (Levy, Goldberg and Dagan, 2015).</summary>
    public double ContextSmoothing { get; init; } = 0.75;

    /// <summary>Exponent applied to singular values when forming word vectors (0.5 = symmetric split).</summary>
    public double SingularValuePower { get; init; } = 0.5;

    /// <summary>Weight of the word×section and word×document blocks next to the word×word block.</summary>
    public double SectionBlockWeight { get; init; } = 1.0;

    /// <summary>Message-corpus terms need this many occurrences to enter the vocabulary (KB terms always do).</summary>
    public int MessageMinCount { get; init; } = 3;
}

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>What the trained text model says about one message.</summary>
/// <param name="TopFeatures">Readable n-grams that pushed hardest towards the winning category.</param>
public sealed record TextModelOutput(float[] CategoryProbabilities, float[] UrgencyProbabilities, IReadOnlyList<string> TopFeatures);

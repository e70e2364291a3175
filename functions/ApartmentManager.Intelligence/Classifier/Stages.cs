namespace ApartmentManager.Intelligence.Classifier;

/// <summary>Values of <see cref="Domain.Classification.Stage"/>.</summary>
public static class Stages
{
    public const string Rules = "rules";
    public const string Model = "model";
    public const string Llm = "llm";
}

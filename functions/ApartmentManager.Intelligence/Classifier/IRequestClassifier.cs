using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>Category and urgency of a resident's message. Never throws for LLM trouble: it falls back to rules + model.</summary>
public interface IRequestClassifier
{
    Task<Classification> ClassifyAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Classifies up to <see cref="IntelligenceOptions.MaxBatchSize"/> messages with one model call; results in input order.</summary>
    Task<IReadOnlyList<Classification>> ClassifyBatchAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}

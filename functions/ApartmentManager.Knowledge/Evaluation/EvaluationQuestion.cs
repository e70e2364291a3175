namespace ApartmentManager.Knowledge.Evaluation;

/// <summary>A question and the ids of the documents that answer it.</summary>
/// <param name="Set">"dev" (written first; the knowledge base wording was revised after looking at its misses) or
/// "holdout" (written after that revision and never used for tuning).</param>
public sealed record EvaluationQuestion(string Question, IReadOnlyList<string> Relevant, string Set = "dev");

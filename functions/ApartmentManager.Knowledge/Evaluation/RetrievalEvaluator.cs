using System.Text.Json;
using ApartmentManager.Application.Ports;
using ApartmentManager.Knowledge.Documents;
using ApartmentManager.Knowledge.Retrieval;

namespace ApartmentManager.Knowledge.Evaluation;

/// <summary>Recall@k and mean reciprocal rank of one retrieval mode over an evaluation set.</summary>
/// <param name="RecallAtK">Mean over questions of the share of relevant documents found among the top k chunks.</param>
/// <param name="Mrr">Mean over questions of 1 / rank of the first chunk from a relevant document (0 if none in the top k).</param>
/// <param name="HitRateAtK">Share of questions with at least one relevant document in the top k.</param>
public sealed record RetrievalMetrics(RetrievalMode Mode, int Questions, int K, double RecallAtK, double Mrr, double HitRateAtK, IReadOnlyList<string> Misses);

/// <summary>
/// Scores the retriever against the shipped evaluation set (Evaluation/retrieval-eval.json). Ranks are chunk
/// ranks as the API returns them: a document counts as found when any of its sections is among the top k.
/// </summary>
public static class RetrievalEvaluator
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<EvaluationQuestion> LoadEmbeddedQuestions()
    {
        var json = KnowledgeBase.ReadResource(typeof(RetrievalEvaluator).Assembly, "Evaluation/retrieval-eval.json");
        return JsonSerializer.Deserialize<List<EvaluationQuestion>>(json, Json)
            ?? throw new InvalidDataException("The evaluation set is empty.");
    }

    public static RetrievalMetrics Evaluate(HybridPolicyRetriever retriever, IReadOnlyList<EvaluationQuestion> questions, RetrievalMode mode, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(questions);
        double recall = 0, reciprocal = 0, hits = 0;
        var misses = new List<string>();
        foreach (var q in questions)
        {
            var results = retriever.Retrieve(new RetrievalQuery(q.Question, null, k), mode);
            var relevant = new HashSet<string>(q.Relevant, StringComparer.Ordinal);
            var found = results.Select(r => r.DocumentId).Where(relevant.Contains).Distinct(StringComparer.Ordinal).Count();
            recall += (double)found / relevant.Count;
            var first = results.ToList().FindIndex(r => relevant.Contains(r.DocumentId));
            if (first >= 0)
            {
                reciprocal += 1.0 / (first + 1);
                hits++;
            }
            else
            {
                misses.Add($"{q.Question} → expected {string.Join(", ", q.Relevant)}; got {string.Join(", ", results.Select(r => r.DocumentId).Distinct())}");
            }
        }

        var n = Math.Max(1, questions.Count);
        return new RetrievalMetrics(mode, questions.Count, k, recall / n, reciprocal / n, hits / n, misses);
    }
}

using ApartmentManager.Intelligence.Rules;
using ApartmentManager.Intelligence.Text;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>What the text-model stage says about one message, and which model said it.</summary>
public sealed record TextModelAnswer(TextModelOutput Output, string ModelVersion, bool Encoder);

/// <summary>
/// The model stage of classification, in one place for the in-process classifier and the model server: English text
/// goes to the classification heads over the sentence encoder's embedding plus the rules' lexical features; other text
/// (Spanish above all — the encoder is English-only), or every text when the heads are absent, to the n-gram model.
/// The n-gram model's top features stay as evidence either way. Embeddings come from <paramref name="embed"/> (the
/// shared encoder in process, the batcher on the server), so the request's embedding is computed once.
/// </summary>
public sealed class TextModelStage(OnnxTextModel ngram, OnnxEncoderHeads? heads, Func<IReadOnlyList<string>, CancellationToken, ValueTask<float[][]>>? embed, RulesEngine? rules = null)
{
    private readonly RulesEngine _rules = rules ?? RulesEngine.Default;

    public bool EncoderEnabled => heads is not null && embed is not null;

    public OnnxTextModel NGram => ngram;

    public Task<TextModelAnswer[]> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        CombineAsync(texts, ngram.ScoreBatch(texts), ngram.Version, heads, embed, _rules, cancellationToken);

    /// <summary>
    /// The routing on n-gram outputs already computed (the model server batches the n-gram model itself): English
    /// texts get the heads' probabilities, the rest keep the n-gram answer.
    /// </summary>
    public static async Task<TextModelAnswer[]> CombineAsync(IReadOnlyList<string> texts, IReadOnlyList<TextModelOutput> outputs, string ngramVersion,
        OnnxEncoderHeads? heads, Func<IReadOnlyList<string>, CancellationToken, ValueTask<float[][]>>? embed, RulesEngine rules, CancellationToken cancellationToken)
    {
        var answers = new TextModelAnswer[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            answers[i] = new TextModelAnswer(outputs[i], ngramVersion, false);
        }
        if (heads is null || embed is null)
        {
            return answers;
        }
        var english = Enumerable.Range(0, texts.Count).Where(i => LanguageGuess.IsEnglish(texts[i])).ToArray();
        if (english.Length == 0)
        {
            return answers;
        }
        var vectors = await embed(english.Select(i => texts[i]).ToArray(), cancellationToken).ConfigureAwait(false);
        var rows = new float[english.Length][];
        for (var k = 0; k < english.Length; k++)
        {
            rows[k] = EncoderHeadFeatures.Row(vectors[k], texts[english[k]], rules);
        }
        var scored = heads.Score(rows);
        for (var k = 0; k < english.Length; k++)
        {
            var i = english[k];
            answers[i] = new TextModelAnswer(new TextModelOutput(scored[k].Category, JoinUrgency(scored[k].Urgency, outputs[i].UrgencyProbabilities), outputs[i].TopFeatures), heads.Version, true);
        }
        return answers;
    }

    /// <summary>
    /// Urgency from both models: the mean of the two distributions, except that P(emergency) is the larger of the two
    /// (the other levels scaled to keep a distribution) — a message either model finds an emergency stays one, so the
    /// encoder never loses an emergency the n-gram model would have caught.
    /// </summary>
    public static float[] JoinUrgency(float[] heads, float[] ngram)
    {
        var e = (int)Domain.Urgency.Emergency;
        var joined = new float[heads.Length];
        var emergency = Math.Max(heads[e], ngram[e]);
        var rest = 0f;
        for (var j = 0; j < joined.Length; j++)
        {
            if (j != e)
            {
                joined[j] = (heads[j] + ngram[j]) / 2;
                rest += joined[j];
            }
        }
        for (var j = 0; j < joined.Length; j++)
        {
            if (j != e)
            {
                joined[j] = rest > 0 ? joined[j] / rest * (1 - emergency) : (1 - emergency) / (joined.Length - 1);
            }
        }
        joined[e] = emergency;
        return joined;
    }
}

using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Guardrails;
using ApartmentManager.Intelligence.Rules;

namespace ApartmentManager.Intelligence.Classifier;

/// <summary>
/// Joins the rules and the text model into one answer (stages a and b):
/// <list type="bullet">
/// <item>Category: the rules decide when they clearly point at one category (in the primary issue, the text before
/// "Also, …" and the like: <see cref="IssueSegmenter"/>) and the model agrees or is unsure (P &lt; 0.5); otherwise
/// the model's most probable category.</item>
/// <item>Urgency: the model's most probable level, or emergency when P(emergency) reaches the emergency
/// threshold; then raised (never lowered) to the rules' floor.</item>
/// <item>Confidence: the smaller of the category and urgency confidences.</item>
/// </list>
/// </summary>
public static class ClassificationCombiner
{
    /// <summary>Precision we credit a decisive rule with when combining it with the model's probability.</summary>
    public const double RulePrecision = 0.8;

    public static Classification Combine(RuleResult rules, TextModelOutput model, GuardedText guarded, double emergencyThreshold, string modelVersion, RulesEngine? engine = null)
    {
        var cats = model.CategoryProbabilities;
        var modelCat = ArgMax(cats);
        var pModel = (double)cats[modelCat];
        // In a message that moves on to another issue ("… Also, …"), the rules decide the category only from the
        // issue stated first; urgency cues count wherever they are.
        var primary = IssueSegmenter.PrimaryIssue(guarded.Text);
        var decisive = ReferenceEquals(primary, guarded.Text) ? rules.DecisiveCategory : (engine ?? RulesEngine.Default).Evaluate(primary).DecisiveCategory;

        Category category;
        double catConfidence;
        string stage;
        if (decisive is { } rc && ((int)rc == modelCat || pModel < 0.5))
        {
            category = rc;
            var p = (double)cats[(int)rc];
            catConfidence = 1 - (1 - p) * (1 - RulePrecision);
            stage = Stages.Rules;
        }
        else
        {
            category = (Category)modelCat;
            catConfidence = pModel;
            stage = Stages.Model;
        }

        var urg = model.UrgencyProbabilities;
        var modelUrgency = urg[(int)Urgency.Emergency] >= emergencyThreshold ? Urgency.Emergency : (Urgency)ArgMax(urg);
        var urgency = modelUrgency;
        double urgConfidence = urg[(int)modelUrgency];
        if (rules.UrgencyFloor is { } floor && floor > urgency)
        {
            urgency = floor;
            urgConfidence = 1 - (1 - urg[(int)floor]) * (1 - RulePrecision);
            stage = Stages.Rules;
        }

        var secondary = rules.CategoryScores
            .Where(kv => kv.Key != category && kv.Value >= 1.0)
            .Select(kv => (kv.Key, Score: kv.Value / 4 + cats[(int)kv.Key]))
            .Concat(Enumerable.Range(0, cats.Length).Where(c => c != (int)category && cats[c] >= 0.2).Select(c => ((Category)c, Score: (double)cats[c])))
            .GroupBy(x => x.Item1)
            .Select(g => (Category: g.Key, Score: g.Max(x => x.Score)))
            .OrderByDescending(x => x.Score)
            .Take(2)
            .Select(x => x.Category)
            .ToList();

        var evidence = new List<string>();
        foreach (var m in rules.Matches.Where(m => !m.Negated).DistinctBy(m => m.Cue.Phrase).Take(6))
        {
            var what = m.Cue.UrgencyFloor is { } f ? $"{Taxonomy.Name(f)} cue" : Taxonomy.Name(m.Cue.Category ?? Category.General);
            evidence.Add($"rule:\"{m.Cue.Phrase}\" ({what})");
        }
        foreach (var m in rules.Matches.Where(m => m.Negated).DistinctBy(m => m.Cue.Phrase).Take(3))
        {
            evidence.Add($"negated:\"{m.Cue.Phrase}\"");
        }
        foreach (var f in model.TopFeatures.Take(5))
        {
            evidence.Add($"feature:{f}");
        }
        foreach (var finding in guarded.Findings)
        {
            evidence.Add($"guardrail:{finding}");
        }

        return new Classification(category, urgency, Math.Round(Math.Min(catConfidence, urgConfidence), 4), secondary, evidence, stage, modelVersion);
    }

    private static int ArgMax(float[] v)
    {
        var best = 0;
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }
        return best;
    }
}

using System.Text.RegularExpressions;
using ApartmentManager.Domain;

namespace ApartmentManager.Pipeline;

/// <summary>
/// The clarifying questions, one per ambiguity, each in two wordings (the second for a second ask). Emergencies are
/// never asked anything: they are dispatched at once.
/// </summary>
public static partial class QuestionBank
{
    public const string CategoryUnclear = "category_unclear";
    public const string LocationMissing = "location_missing";

    /// <summary>The ambiguity worth a question for this classification, or null when triage may go on.</summary>
    public static string? Ambiguity(ResidentRequest request, Classification classification, QuestionOptions options)
    {
        if (classification.Urgency == Urgency.Emergency || request.Questions.Count >= options.MaxQuestions)
        {
            return null;
        }
        if (classification.Confidence < options.BelowConfidence)
        {
            return CategoryUnclear;
        }
        if (options.AskWhereInUnit && NeedsLocation(classification.Category) && !request.Questions.Any(q => q.Reason == LocationMissing)
            && !Location().IsMatch(request.TriageText))
        {
            return LocationMissing;
        }
        return null;
    }

    /// <summary>The question for <paramref name="reason"/>, worded for the <paramref name="number"/>-th ask.</summary>
    public static string Text(string reason, int number, Classification classification)
    {
        var choices = Guess(classification);
        return (reason, number) switch
        {
            (CategoryUnclear, 1) => $"We want to send the right person. Could you tell us a bit more about the problem: what do you see or hear, and where? (Our best guess: {choices}.)",
            (CategoryUnclear, _) => "Thanks. One more detail so we get this right: what exactly is broken or happening, and since when?",
            (LocationMissing, _) => "Where in your home is the problem (for example kitchen, bathroom, bedroom), and may a technician enter if you are not home?",
            _ => "Could you tell us a bit more about the problem?",
        };
    }

    /// <summary>
    /// The fact the question for <paramref name="reason"/> asks for, in words an LLM phrases a question from (see
    /// <see cref="QuestionPhraser"/>); <see cref="Text"/> is the bank's own wording of the same question.
    /// </summary>
    public static string Need(string reason, int number) => (reason, number) switch
    {
        (CategoryUnclear, 1) => "what exactly the problem is (what they see or hear) and where in the home",
        (CategoryUnclear, _) => "what exactly is broken or happening, and since when",
        (LocationMissing, _) => "where in the home the problem is, and whether a technician may enter when the resident is not home",
        _ => "a little more about the problem",
    };

    /// <summary>The category guess as the bank's first question words it ("plumbing, electrical or appliance").</summary>
    public static string Guess(Classification classification)
    {
        var guess = Names.Of(classification.Category).Replace('_', ' ');
        var alternatives = classification.SecondaryCategories.Take(2).Select(c => Names.Of(c).Replace('_', ' ')).ToList();
        return alternatives.Count == 0 ? guess : $"{guess}, {string.Join(" or ", alternatives)}";
    }

    private static bool NeedsLocation(Category category) =>
        category is Category.Plumbing or Category.Electrical or Category.Structural or Category.Pest;

    [GeneratedRegex(@"\b(kitchen|bath(room)?|bed(room)?|living|dining|hall(way)?|closet|balcony|patio|laundry|ceiling|wall|floor|window|door|sink|toilet|shower|tub|faucet|stove|oven|fridge|refrigerator|dishwasher|washer|dryer|heater|radiator|outlet|breaker|garage|basement|attic|stair|entry|cabinet|pipe|room|everywhere|whole|all rooms|cocina|baño|bano|habitaci[oó]n|dormitorio|sala|techo|pared|ventana|puerta|lavabo|inodoro|ducha)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Location();
}

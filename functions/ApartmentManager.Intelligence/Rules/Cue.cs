using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Rules;

/// <summary>
/// A phrase the rules stage looks for. Tokens are folded (lower case, no accents); a trailing '*' matches any
/// word starting with that prefix ("leak*" matches "leaking"). A cue may point at a category, set an urgency
/// floor (it can only raise urgency), and count as a hazard for the risk model.
/// </summary>
/// <param name="RequiresAny">The cue only fires when one of these phrases also occurs in the message.</param>
/// <param name="NotFollowedBy">The cue does not fire when the next word is one of these ("smoke" + "detector").</param>
/// <param name="CategoryUnlessAny">The cue's category weight does not count when one of these phrases also occurs: the
/// keyword is then where the issue is, not what it is about ("drain" in "roaches coming out of the drain", "ceiling" in
/// "water coming through the ceiling light fixture"). Only the category is dropped: an urgency floor or hazard of the
/// same cue still counts, so an emergency cue is never lost. Applies to the decisive category only.</param>
/// <param name="DecisiveOnly">A cue that only helps the rules decide a category (<see cref="RuleResult.DecisiveScores"/>) and is
/// not one of the category scores the trained heads read, so adding it leaves the models' inputs unchanged.</param>
public sealed record Cue(
    string Phrase,
    Category? Category = null,
    double Weight = 1.0,
    Urgency? UrgencyFloor = null,
    bool Hazard = false,
    string Language = "en",
    IReadOnlyList<string>? RequiresAny = null,
    IReadOnlyList<string>? NotFollowedBy = null,
    IReadOnlyList<string>? CategoryUnlessAny = null,
    bool DecisiveOnly = false)
{
    internal string[] Tokens { get; } = Text.TextNormalizer.Fold(Phrase).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One cue found in a message, with whether a negation cancelled it ("no leak anymore").</summary>
public sealed record CueMatch(Cue Cue, int Position, bool Negated);

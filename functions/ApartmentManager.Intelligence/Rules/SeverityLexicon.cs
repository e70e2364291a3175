using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Rules;

/// <summary>How many severity markers of each kind a message has (negated markers not counted: "not urgent" is no urgency marker).</summary>
public readonly record struct SeverityMarkers(int Low, int High, int Emergency, bool Question, bool Exclamation);

/// <summary>
/// Hand-written words of severity, written from the taxonomy's urgency definitions (not fitted to the data): markers
/// of low urgency (questions, "no rush", cosmetic), of a habitability hit (can't use, all day, children, urgent) and of
/// immediate danger (spreading, everywhere, unsafe, hurt). Unlike the rule cues they set no floor: they are features
/// for the classification heads, which learn how much each kind counts (a linear head over a general-purpose sentence
/// embedding separates topics well but not severity). English and Spanish; matched like cues (folded, negation-aware).
/// </summary>
public sealed class SeverityLexicon
{
    private static readonly string[] LowMarkers =
    [
        "no rush", "not urgent", "no hurry", "whenever", "when you get a chance", "when you have time", "when someone is around",
        "at some point", "sometime", "someday", "just curious", "curious", "question", "quick question", "wondering",
        "is it ok", "is it okay", "is it allowed", "am i allowed", "can i", "could i", "may i", "how do i", "how can i",
        "where do i", "where can i", "what is", "whats", "what are", "when is", "when does", "do you know", "cosmetic",
        "minor", "small thing", "a bit", "slightly", "heads up", "fyi", "thank you for", "thanks for", "not a big deal",
        "low priority", "next time", "eventually", "sin prisa", "no es urgente", "cuando puedan", "cuando tengan tiempo",
        "pregunta", "como puedo", "puedo", "cual es", "cuales son", "cuando es", "gracias por", "un poco",
    ];

    private static readonly string[] HighMarkers =
    [
        "cant use", "unable to", "cant cook", "cant shower", "cant sleep", "cant flush", "cant get in", "doesnt work at all",
        "not working at all", "completely", "all day", "since yesterday", "whole apartment", "entire apartment", "whole unit",
        "entire unit", "kids", "children", "elderly", "pregnant", "disabled", "medication", "medicine", "urgent", "urgently",
        "asap", "as soon as possible", "today", "tonight", "spoiling", "spoiled", "only one", "no way to", "no funciona nada",
        "urgente", "no puedo", "todo el dia", "ninos", "hoy", "esta noche", "lo antes posible",
    ];

    private static readonly string[] EmergencyMarkers =
    [
        "emergency", "right now", "immediately", "everywhere", "spreading", "dangerous", "danger", "unsafe", "scared",
        "terrified", "hurt", "injured", "bleeding", "burning", "evacuat*", "left the apartment", "get out", "got out",
        "out of the building", "call 911", "fire department", "life threatening", "help me", "please help", "emergencia",
        "ahora mismo", "por todos lados", "peligro", "peligroso", "herido", "auxilio", "salimos", "nos salimos", "ayuda",
    ];

    private readonly RulesEngine _engine = new(
        LowMarkers.Select(p => new Cue(p, null, 0, Urgency.Low))
            .Concat(HighMarkers.Select(p => new Cue(p, null, 0, Urgency.High)))
            .Concat(EmergencyMarkers.Select(p => new Cue(p, null, 0, Urgency.Emergency)))
            .ToList());

    public static SeverityLexicon Default { get; } = new();

    public SeverityMarkers Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int low = 0, high = 0, emergency = 0;
        foreach (var m in _engine.Evaluate(text).Matches)
        {
            if (m.Negated)
            {
                continue;
            }
            switch (m.Cue.UrgencyFloor)
            {
                case Urgency.Low: low++; break;
                case Urgency.High: high++; break;
                case Urgency.Emergency: emergency++; break;
            }
        }
        return new SeverityMarkers(low, high, emergency, text.Contains('?', StringComparison.Ordinal), text.Contains('!', StringComparison.Ordinal));
    }
}

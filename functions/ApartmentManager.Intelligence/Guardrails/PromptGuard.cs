using System.Text.RegularExpressions;
using ApartmentManager.Text;

namespace ApartmentManager.Intelligence.Guardrails;

/// <summary>The message with instruction-like content removed, and what was removed (by kind, never the text itself).</summary>
public sealed record GuardedText(string Text, IReadOnlyList<string> Findings)
{
    public bool InjectionFound => Findings.Count > 0;
}

/// <summary>
/// Residents' text is data, never instructions. Before ANY stage sees a message, this cleans it
/// (<see cref="UnicodeSanitizer"/>: NFKC folding, invisible characters, look-alike letters) and removes what tries to
/// steer a classifier: "ignore previous instructions", fake system/assistant turns and chat-template tokens,
/// role-play requests, demands to classify or prioritise a certain way, and JSON that imitates the answer.
/// A sentence is cut from the trigger to its end, so the resident's actual problem earlier in the sentence stays.
/// </summary>
public static partial class PromptGuard
{
    /// <summary>Triggers: what starts an injection inside a sentence.</summary>
    private static readonly (string Kind, Regex Pattern)[] Triggers =
    [
        ("override_instructions", OverrideRegex()),
        ("role_marker", RoleMarkerRegex()),
        ("role_play", RolePlayRegex()),
        ("forced_label", ForcedLabelRegex()),
        ("forced_field", ForcedFieldRegex()),
        ("output_control", OutputControlRegex()),
        ("override_instructions_es", OverrideEsRegex()),
    ];

    /// <summary>Demands for a label or value: where an injection that names its desired answer ends.</summary>
    private static readonly Regex[] LabelDemands = [ForcedLabelRegex(), ForcedFieldRegex(), OverrideEsRegex()];

    private static readonly HashSet<string> LabelWords = new(
        Taxonomy.CategoryNames.Concat(Taxonomy.UrgencyNames).Concat(
        [
            "urgency", "priority", "severity", "category", "label", "with", "and", "urgent", "critical", "issue", "complaint", "delivery",
            "parking", "access", "neighbor", "noise", "security", "top", "a", "an", "the", "only", "json", "emergencia", "urgente", "prioridad",
            "categoria", "facturacion", "general", "baja", "alta", "y", "con",
        ]), StringComparer.OrdinalIgnoreCase);

    public static GuardedText Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = new List<string>();
        // Hidden characters, full-width or look-alike letters would let "ign\u200Bore previous instructions" through.
        var s = UnicodeSanitizer.Clean(text);

        // Chat-template markup, JSON that speaks the answer's language and code blocks are removed outright;
        // they end a sentence, so what the resident wrote after them is kept.
        s = Replace(s, TemplateTokenRegex(), "template_token", findings, "\n");
        s = Replace(s, AnswerJsonRegex(), "answer_json", findings, "\n");
        s = Replace(s, CodeFenceRegex(), "code_block", findings, "\n");

        var parts = SentenceSplitRegex().Split(s);
        for (var i = 0; i < parts.Length; i++)
        {
            for (var guard = 0; guard < 8; guard++)
            {
                var (kind, start) = FirstTrigger(parts[i]);
                if (kind is null)
                {
                    break;
                }
                findings.Add(kind);
                parts[i] = parts[i][..start] + " " + parts[i][EndOfInjection(parts[i], start)..];
            }
        }
        var cleaned = WhitespaceRegex().Replace(string.Concat(parts), " ").Trim();
        return new GuardedText(cleaned, findings.Distinct().ToList());
    }

    private static (string? Kind, int Start) FirstTrigger(string sentence)
    {
        string? kind = null;
        var start = int.MaxValue;
        foreach (var (k, pattern) in Triggers)
        {
            var m = pattern.Match(sentence);
            if (m.Success && m.Index < start)
            {
                (kind, start) = (k, m.Index);
            }
        }
        return (kind, start);
    }

    /// <summary>
    /// An injection that demands a label ends with that label (and any label-ish words right after it:
    /// "as billing with low urgency"); one that does not runs to the end of the sentence.
    /// </summary>
    private static int EndOfInjection(string sentence, int start)
    {
        var end = -1;
        foreach (var regex in LabelDemands)
        {
            for (var m = regex.Match(sentence, start); m.Success; m = m.NextMatch())
            {
                end = Math.Max(end, m.Index + m.Length);
            }
        }
        if (end < 0)
        {
            return sentence.Length;
        }
        var tail = WordRegex().Match(sentence, end);
        while (tail.Success && tail.Index - end < 4 && (LabelWords.Contains(tail.Value) || tail.Value.All(c => !char.IsLetterOrDigit(c))))
        {
            end = tail.Index + tail.Length;
            tail = tail.NextMatch();
        }
        return end;
    }

    [GeneratedRegex(@"[\w]+|[^\w\s]")]
    private static partial Regex WordRegex();

    private static string Replace(string s, Regex regex, string kind, List<string> findings, string replacement)
    {
        if (!regex.IsMatch(s))
        {
            return s;
        }
        findings.Add(kind);
        return regex.Replace(s, replacement);
    }

    // Keeps the delimiters with the preceding sentence so concatenation restores the text.
    [GeneratedRegex(@"(?<=[.!?\n;])")]
    private static partial Regex SentenceSplitRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    [GeneratedRegex(@"<\|?\s*/?\s*(im_start|im_end|system|assistant|user|endoftext|begin_of_text|eot_id|start_header_id|end_header_id)\s*\|?>|\[/?(INST|SYS|SYSTEM)\]|<<\s*/?SYS\s*>>|</?(system|assistant|instructions?|prompt)>", RegexOptions.IgnoreCase)]
    private static partial Regex TemplateTokenRegex();

    [GeneratedRegex(@"\{[^{}]{0,400}?[""']?(category|urgency|priority|confidence|stage|secondary_?categories|role|instructions?)[""']?\s*[:=][^{}]{0,400}\}?", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerJsonRegex();

    [GeneratedRegex(@"```.*?(```|$)", RegexOptions.Singleline)]
    private static partial Regex CodeFenceRegex();

    [GeneratedRegex(@"\b(ignore|disregard|forget|override|bypass|skip|drop|discard|overrule)\b.{0,40}?\b(instructions?|rules?|prompts?|guidelines|directions|above|previous|prior|earlier|system|everything|all|policy|policies|training)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OverrideRegex();

    [GeneratedRegex(@"(^|\s|[#*\[(])(system|assistant|developer|admin|administrator|root|sysadmin|ai|model|classifier)\s*(prompt|message|note|override|instruction|mode)?\s*[:>]|#+\s*(system|instructions?|new task)", RegexOptions.IgnoreCase)]
    private static partial Regex RoleMarkerRegex();

    [GeneratedRegex(@"\b(you are now|you're now|you are no longer|act as|acting as|pretend (to be|you)|from now on|new (instructions?|rules?|task|persona)|jailbreak|developer mode|do anything now|roleplay|role-play)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RolePlayRegex();

    [GeneratedRegex(@"\b(re)?(classify|categori[sz]e|label|mark|tag|flag|treat|route|escalate|record|file|log|prioriti[sz]e|rate|score)\b(?!\s+(?:of|it\s+out))[^.!?\n]{0,30}?\b(as|to)\b\s+(an?\s+|the\s+)?(\w+\s+){0,2}?(category|urgency|priority|severity|emergency|urgent|critical|high|low|normal|plumbing|electrical|hvac|appliance|pest|structural|security|noise|billing|lease|package|amenity|general|top|p0|p1|sev)\w*", RegexOptions.IgnoreCase)]
    private static partial Regex ForcedLabelRegex();

    [GeneratedRegex(@"\b(category|urgency|priority|severity|confidence|stage|label|classification)\s*(is|=|:|to|should be|must be|shall be|will be|needs to be|set to)\s*[""']?[\w.]+[""']?", RegexOptions.IgnoreCase)]
    private static partial Regex ForcedFieldRegex();

    [GeneratedRegex(@"\b(respond|reply|answer|output|return|print|say|write)\b[^.!?\n]{0,30}?\b(json|only|exactly|the following|verbatim|this)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OutputControlRegex();

    [GeneratedRegex(@"\b(ignora|olvida|omite|descarta)\b.{0,40}?\b(instrucciones|reglas|anteriores|todo|sistema)\b|\b(clasifica|marca|categoriza|prioriza)\b[^.!?\n]{0,30}?\bcomo\b|\b(ahora eres|actua como|actúa como|nuevas instrucciones)\b|\b(categor[ií]a|urgencia|prioridad)\s*(es|=|:|debe ser)\s*\w+", RegexOptions.IgnoreCase)]
    private static partial Regex OverrideEsRegex();
}

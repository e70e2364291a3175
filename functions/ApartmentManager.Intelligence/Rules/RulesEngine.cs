using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Text;

namespace ApartmentManager.Intelligence.Rules;

/// <summary>What the rules saw in a message. <see cref="CategoryScores"/> are the heads' rule features (every category cue);
/// <see cref="DecisiveScores"/> decide the rules' category: with context (a keyword that only says where the issue is
/// does not count, <see cref="Cue.CategoryUnlessAny"/>) and with the decisive-only cues.</summary>
public sealed record RuleResult(
    IReadOnlyList<CueMatch> Matches,
    IReadOnlyDictionary<Category, double> CategoryScores,
    Urgency? UrgencyFloor,
    int HazardCount,
    IReadOnlyDictionary<Category, double> DecisiveScores)
{
    public IEnumerable<CueMatch> Active => Matches.Where(m => !m.Negated);

    /// <summary>The single category the rules point at, when one clearly dominates in <see cref="DecisiveScores"/> (score ≥ 1 and at least twice the runner-up).</summary>
    public Category? DecisiveCategory
    {
        get
        {
            var ranked = DecisiveScores.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).ToList();
            if (ranked.Count == 0 || ranked[0].Value < 1.0)
            {
                return null;
            }
            return ranked.Count == 1 || ranked[0].Value >= 2 * ranked[1].Value ? ranked[0].Key : null;
        }
    }
}

/// <summary>
/// Matches the cue catalog against a message: multi-word phrases, prefix wildcards, negation within the same
/// clause ("no leak anymore", "the sparking stopped", "ya no hay fuga"). Stateless and thread-safe.
/// </summary>
public sealed class RulesEngine(IReadOnlyList<Cue> cues)
{
    private const string Boundary = "|";
    private readonly ILookup<string, Cue> _byFirstToken = cues.ToLookup(c => c.Tokens[0].TrimEnd('*'));
    // Wildcard-first cues indexed by their first two letters, so a token only tries the prefixes it could match.
    private readonly ILookup<string, Cue> _wildFirst = cues.Where(c => c.Tokens[0].EndsWith('*')).ToLookup(c => Head(c.Tokens[0].TrimEnd('*')));

    private static string Head(string s) => s.Length <= 2 ? s : s[..2];

    public RulesEngine() : this(RuleCatalog.Default)
    {
    }

    public static RulesEngine Default { get; } = new();

    public RuleResult Evaluate(string text)
    {
        var tokens = TokenizeWithBoundaries(text);
        var tokenSet = new HashSet<string>(tokens);
        var matches = new List<CueMatch>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == Boundary)
            {
                continue;
            }
            foreach (var cue in Candidates(tokens[i]))
            {
                if (!MatchesAt(tokens, i, cue.Tokens))
                {
                    continue;
                }
                var end = i + cue.Tokens.Length;
                if (cue.NotFollowedBy is { } nf && end < tokens.Count && nf.Contains(tokens[end]))
                {
                    continue;
                }
                if (cue.RequiresAny is { } req && !req.Any(r => ContainsPhrase(tokens, tokenSet, r)))
                {
                    continue;
                }
                matches.Add(new CueMatch(cue, i, IsNegated(tokens, i, end, cue)));
            }
        }

        var scores = new Dictionary<Category, double>();
        var decisive = new Dictionary<Category, double>();
        Urgency? floor = null;
        var hazards = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in matches.Where(m => !m.Negated))
        {
            if (m.Cue.Category is { } c && m.Cue.Weight > 0)
            {
                if (!m.Cue.DecisiveOnly)
                {
                    scores[c] = scores.GetValueOrDefault(c) + m.Cue.Weight;
                }
                if (m.Cue.CategoryUnlessAny is not { } unless || !unless.Any(u => ContainsPhrase(tokens, tokenSet, u)))
                {
                    decisive[c] = decisive.GetValueOrDefault(c) + m.Cue.Weight;
                }
            }
            if (m.Cue.UrgencyFloor is { } u && (floor is null || u > floor))
            {
                floor = u;
            }
            if (m.Cue.Hazard && !InsideLongerHazard(m, matches))
            {
                hazards.Add(m.Cue.Phrase);
            }
        }
        return new RuleResult(matches, scores, floor, hazards.Count, decisive);
    }

    /// <summary>A hazard cue found inside a longer hazard cue's words ("gas" in "smell gas") is the same mention, counted once.</summary>
    private static bool InsideLongerHazard(CueMatch m, List<CueMatch> matches)
    {
        var end = m.Position + m.Cue.Tokens.Length;
        foreach (var other in matches)
        {
            if (!ReferenceEquals(other, m) && !other.Negated && other.Cue.Hazard && other.Cue.Tokens.Length > m.Cue.Tokens.Length
                && other.Position <= m.Position && end <= other.Position + other.Cue.Tokens.Length)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Number of distinct, non-negated hazard cues (gas, fire, flooding, sparks, no heat…): a risk feature.</summary>
    public int CountHazards(string text) => Evaluate(text).HazardCount;

    private IEnumerable<Cue> Candidates(string token)
    {
        foreach (var c in _byFirstToken[token])
        {
            yield return c;
        }
        foreach (var c in _wildFirst[Head(token)])
        {
            var prefix = c.Tokens[0].TrimEnd('*');
            if (token.Length > prefix.Length && token.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return c;
            }
        }
    }

    private static bool MatchesAt(List<string> tokens, int start, string[] phrase)
    {
        if (start + phrase.Length > tokens.Count)
        {
            return false;
        }
        for (var k = 0; k < phrase.Length; k++)
        {
            if (!TokenMatches(tokens[start + k], phrase[k]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool TokenMatches(string token, string pattern) =>
        pattern.EndsWith('*')
            ? token.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : token == pattern;

    private static bool ContainsPhrase(List<string> tokens, HashSet<string> tokenSet, string phrase)
    {
        var parts = TextNormalizer.Fold(phrase).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 1 && !parts[0].EndsWith('*'))
        {
            return tokenSet.Contains(parts[0]);
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (MatchesAt(tokens, i, parts))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsNegated(List<string> tokens, int start, int end, Cue cue)
    {
        // A cue that is itself an absence ("no hot water", "sin luz") cannot be negated by its own first word.
        for (var k = start - 1; k >= Math.Max(0, start - 3); k--)
        {
            if (tokens[k] == Boundary)
            {
                break;
            }
            if (RuleCatalog.PreNegators.Contains(tokens[k]))
            {
                return true;
            }
        }
        for (var k = end; k < Math.Min(tokens.Count, end + 4); k++)
        {
            if (tokens[k] == Boundary)
            {
                break;
            }
            foreach (var post in RuleCatalog.PostNegators)
            {
                if (MatchesAt(tokens, k, post) && !PhraseContainsAt(cue, post))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool PhraseContainsAt(Cue cue, string[] post) => cue.Tokens.Length >= post.Length && cue.Tokens.Take(post.Length).SequenceEqual(post);

    /// <summary>Folded tokens with "|" where a clause ends (. , ; : ! ? and "but"/"pero"), so negation never crosses clauses.</summary>
    internal static List<string> TokenizeWithBoundaries(string text)
    {
        var tokens = new List<string>();
        var sb = new System.Text.StringBuilder(16);
        void Flush()
        {
            if (sb.Length > 0)
            {
                var t = sb.ToString();
                tokens.Add(t is "but" or "pero" or "although" or "aunque" ? Boundary : t);
                sb.Clear();
            }
        }
        foreach (var raw in text)
        {
            var ch = TextNormalizer.FoldChar(raw);
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
            else if (ch == '\'')
            {
                continue;
            }
            else
            {
                Flush();
                if (ch is '.' or ',' or ';' or ':' or '!' or '?' or '\n')
                {
                    tokens.Add(Boundary);
                }
            }
        }
        Flush();
        return tokens;
    }
}

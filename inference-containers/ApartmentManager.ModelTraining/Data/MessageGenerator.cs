using System.Text;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;

namespace ApartmentManager.ModelTraining.Data;

/// <summary>
/// Builds the labelled message set from the hand-written templates with a seeded <see cref="Random"/>:
/// slot filling, greetings and sign-offs, texting slang, typos, casing, dropped accents, and multi-issue
/// messages that join a second, no-more-urgent issue. Two fixed splits are recorded: <c>split</c> holds out a
/// seeded 20% of the messages of every (category, urgency) cell (the shipped model's test set), and
/// <c>template_split</c> holds out ~20% of the TEMPLATES of every (category, language) group with all their
/// variants, which measures phrasings never seen in training (a harder, more honest generalisation check).
/// </summary>
public sealed class MessageGenerator(int seed)
{
    public const int VariantsPerTemplate = 4;
    public const int MultiIssueMessages = 120;

    private readonly Random _rng = new(seed);

    private static readonly Dictionary<string, string[]> Slots = new()
    {
        ["room"] = ["kitchen", "bathroom", "bedroom", "living room", "hallway", "laundry room", "master bedroom", "kids room"],
        ["cuarto"] = ["cocina", "recámara", "sala", "baño", "habitación", "cuarto de lavado"],
        ["since"] = ["this morning", "last night", "yesterday", "Sunday", "2 days ago", "early today", "last weekend"],
        ["desde"] = ["ayer", "anoche", "esta mañana", "el domingo", "hace dos días"],
        ["days"] = ["2", "3", "4", "5", "several", "a few", "10"],
        ["nunit"] = ["4B", "3A", "12C", "unit 210", "apt 5", "7F", "the unit above", "2D"],
        ["amount"] = ["45", "75", "120", "150", "1,350", "89.99", "200", "35"],
        ["month"] = ["January", "March", "June", "August", "October", "December", "last month"],
        ["mes"] = ["enero", "marzo", "junio", "agosto", "octubre", "diciembre", "el mes pasado"],
        ["carrier"] = ["Amazon", "UPS", "FedEx", "USPS", "DHL", "the courier"],
        ["spot"] = ["#14", "B22", "number 7", "P3-41", "118"],
        ["day"] = ["1st", "2nd", "3rd", "Friday", "Monday", "due date"],
        ["dia"] = ["lunes", "viernes", "sábado", "martes"],
        ["floor"] = ["2nd", "3rd", "4th", "5th", "ground", "top"],
        ["piso"] = ["segundo", "tercer", "cuarto", "quinto"],
    };

    private static readonly string[] GreetingsEn = ["Hi,", "Hello,", "hey", "Hi there -", "Good morning,", "Hello management,", "hi it's Sam in 4C.", "Hey guys,", "To the office:", "Dear manager,"];
    private static readonly string[] GreetingsEs = ["Hola,", "Buenas tardes,", "Buen día,", "Hola buenas,", "Disculpe,", "Buenas noches,"];
    private static readonly string[] SignOffsEn = ["Thanks", "thx", "pls help", "Please let me know.", "Thank you!", "- Maria, unit 3B", "Unit 12", "thanks in advance", "Appreciate it."];
    private static readonly string[] SignOffsEs = ["Gracias", "Saludos", "Por favor", "Depto 5A", "Muchas gracias!", "Quedo atenta."];
    private static readonly (string From, string To)[] Slang =
    [
        ("you", "u"), ("your", "ur"), ("please", "pls"), ("because", "bc"), ("apartment", "apt"), ("tonight", "tonite"),
        ("going to", "gonna"), ("want to", "wanna"), ("thanks", "thx"), ("really", "rly"), ("right now", "rn"), ("with", "w/"),
        ("don't", "dont"), ("can't", "cant"), ("won't", "wont"), ("I'm", "im"), ("it's", "its"), ("something", "smth"),
    ];
    private static readonly string[] JoinersEn = [" Also, ", " Oh and ", " Another thing: ", ". Btw ", " Plus ", ". Separately, "];
    private static readonly string[] JoinersEs = [" También, ", " Y además ", ". Otra cosa: ", " Aparte, "];

    public static IReadOnlyList<MessageTemplate> LoadTemplates(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select((l, i) =>
            {
                var parts = l.Split('|', 4);
                if (parts.Length != 4 || !Taxonomy.TryParseCategory(parts[0], out _) || !Taxonomy.TryParseUrgency(parts[1], out _))
                {
                    throw new FormatException($"Bad template line: {l}");
                }
                return new MessageTemplate(i, parts[0], parts[1], parts[2], parts[3]);
            })
            .ToList();

    public IReadOnlyList<LabelledMessage> Generate(IReadOnlyList<MessageTemplate> templates)
    {
        var testTemplates = ChooseTestTemplates(templates);
        var rows = new List<LabelledMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in templates)
        {
            for (var v = 0; v < VariantsPerTemplate; v++)
            {
                var (text, variations) = Vary(t, plain: v == 0);
                if (seen.Add(text))
                {
                    rows.Add(new LabelledMessage($"m{rows.Count + 1:0000}", text, t.Category, t.Urgency, [], t.Language, "",
                        testTemplates.Contains(t.Index) ? "test" : "train", t.Index, variations));
                }
            }
        }

        // Multi-issue: primary issue first, then a different-category issue that is no more urgent.
        var made = 0;
        while (made < MultiIssueMessages)
        {
            var primary = templates[_rng.Next(templates.Count)];
            var pu = Taxonomy.ParseUrgency(primary.Urgency);
            var candidates = templates.Where(s => s.Language == primary.Language && s.Category != primary.Category
                && Taxonomy.ParseUrgency(s.Urgency) <= pu && Taxonomy.ParseUrgency(s.Urgency) <= Urgency.Normal
                && testTemplates.Contains(s.Index) == testTemplates.Contains(primary.Index)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }
            var secondary = candidates[_rng.Next(candidates.Count)];
            var (a, va) = Vary(primary, plain: false);
            var (b, vb) = Vary(secondary, plain: true);
            var joiners = primary.Language == "es" ? JoinersEs : JoinersEn;
            var text = a.TrimEnd('.', '!', ' ') + joiners[_rng.Next(joiners.Length)] + LowerFirst(b);
            if (!seen.Add(text))
            {
                continue;
            }
            rows.Add(new LabelledMessage($"m{rows.Count + 1:0000}", text, primary.Category, primary.Urgency, [secondary.Category], primary.Language, "",
                testTemplates.Contains(primary.Index) ? "test" : "train", primary.Index, [.. va, "multi_issue"]));
            made++;
        }

        // Message-level split, stratified by (category, urgency).
        var test = new HashSet<string>();
        foreach (var cell in rows.GroupBy(r => (r.Category, r.Urgency)).OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Urgency, StringComparer.Ordinal))
        {
            var list = cell.OrderBy(_ => _rng.Next()).ToList();
            foreach (var r in list.Take((int)Math.Round(list.Count * 0.2)))
            {
                test.Add(r.Id);
            }
        }
        return rows.Select(r => r with { Split = test.Contains(r.Id) ? "test" : "train" }).ToList();
    }

    /// <summary>About 20% of the templates of every (category, language) group, at least one where the group has 3+.</summary>
    private HashSet<int> ChooseTestTemplates(IReadOnlyList<MessageTemplate> templates)
    {
        var test = new HashSet<int>();
        foreach (var group in templates.GroupBy(t => (t.Category, t.Language)).OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Language, StringComparer.Ordinal))
        {
            var list = group.OrderBy(_ => _rng.Next()).ToList();
            var n = list.Count < 3 ? 0 : Math.Max(1, (int)Math.Round(list.Count * 0.2));
            foreach (var t in list.Take(n))
            {
                test.Add(t.Index);
            }
        }
        return test;
    }

    private (string Text, List<string> Variations) Vary(MessageTemplate t, bool plain)
    {
        var variations = new List<string>();
        var text = FillSlots(t.Text);
        var es = t.Language == "es";
        if (!plain)
        {
            if (_rng.NextDouble() < 0.35)
            {
                var g = es ? GreetingsEs : GreetingsEn;
                text = g[_rng.Next(g.Length)] + " " + LowerFirst(text);
                variations.Add("greeting");
            }
            if (_rng.NextDouble() < 0.35)
            {
                var s = es ? SignOffsEs : SignOffsEn;
                text = text.TrimEnd('.', ' ') + ". " + s[_rng.Next(s.Length)];
                variations.Add("sign_off");
            }
            if (!es && _rng.NextDouble() < 0.3)
            {
                text = ApplySlang(text);
                variations.Add("slang");
            }
            if (es && _rng.NextDouble() < 0.4)
            {
                text = StripAccents(text);
                variations.Add("no_accents");
            }
            if (_rng.NextDouble() < 0.35)
            {
                text = Typos(text, 1 + _rng.Next(2));
                variations.Add("typos");
            }
            var casing = _rng.NextDouble();
            if (casing < 0.15)
            {
                text = text.ToLowerInvariant();
                variations.Add("lower_case");
            }
            else if (casing < 0.19)
            {
                text = text.ToUpperInvariant();
                variations.Add("upper_case");
            }
            if (_rng.NextDouble() < 0.2)
            {
                text = text.TrimEnd('.', '!', '?') + (_rng.NextDouble() < 0.5 ? "!!" : "");
            }
        }
        return (text, variations);
    }

    private string FillSlots(string text)
    {
        var sb = new StringBuilder(text);
        foreach (var (slot, values) in Slots)
        {
            var token = "{" + slot + "}";
            while (sb.ToString().Contains(token, StringComparison.Ordinal))
            {
                var s = sb.ToString();
                var i = s.IndexOf(token, StringComparison.Ordinal);
                sb.Remove(i, token.Length).Insert(i, values[_rng.Next(values.Length)]);
            }
        }
        return sb.ToString();
    }

    private string ApplySlang(string text)
    {
        foreach (var (from, to) in Slang)
        {
            if (_rng.NextDouble() < 0.6)
            {
                text = ReplaceWord(text, from, to);
            }
        }
        return text;
    }

    private static string ReplaceWord(string text, string from, string to)
    {
        var idx = 0;
        while ((idx = text.IndexOf(from, idx, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = idx == 0 || !char.IsLetter(text[idx - 1]);
            var after = idx + from.Length >= text.Length || !char.IsLetter(text[idx + from.Length]);
            if (before && after)
            {
                text = string.Concat(text.AsSpan(0, idx), to, text.AsSpan(idx + from.Length));
                idx += to.Length;
            }
            else
            {
                idx += from.Length;
            }
        }
        return text;
    }

    private string Typos(string text, int count)
    {
        var words = text.Split(' ');
        for (var k = 0; k < count; k++)
        {
            var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 5 && words[i].All(char.IsLetter)).ToList();
            if (candidates.Count == 0)
            {
                break;
            }
            var wi = candidates[_rng.Next(candidates.Count)];
            var w = words[wi].ToCharArray().ToList();
            var p = 1 + _rng.Next(w.Count - 2);
            switch (_rng.Next(3))
            {
                case 0: (w[p], w[p + 1]) = (w[p + 1], w[p]); break; // swap
                case 1: w.RemoveAt(p); break;                        // drop
                default: w.Insert(p, w[p]); break;                   // double
            }
            words[wi] = new string(w.ToArray());
        }
        return string.Join(' ', words);
    }

    private static string StripAccents(string text) => new(text.Select(c => c switch
    {
        'á' => 'a', 'é' => 'e', 'í' => 'i', 'ó' => 'o', 'ú' => 'u', 'ñ' => 'n', 'Á' => 'A', 'É' => 'E', _ => c,
    }).ToArray());

    private static string LowerFirst(string s) =>
        s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}

using System.Text;
using ApartmentManager.Domain;
using ApartmentManager.Intelligence;

namespace ApartmentManager.ModelTraining.Data;

/// <summary>
/// Builds the labelled message set from the hand-written templates with seeded generators: slot filling, greetings and
/// sign-offs, texting slang, typos, casing, dropped accents, and multi-issue messages that join a second, no-more-urgent
/// issue. Two fixed splits are recorded: <c>split</c> holds out a seeded 20% of the messages of every (category,
/// urgency) cell (the shipped model's test set), and <c>template_split</c> says which templates a message came from:
/// <c>train</c>, <c>validation</c> (a seeded ~20% of templates.txt, for modelling choices) or <c>test</c>
/// (unseen-templates.txt: phrasings never trained on for that figure and never used for a choice).
/// </summary>
public sealed class MessageGenerator(int seed)
{
    public const int VariantsPerTemplate = 4;
    public const double MultiIssuePerTemplate = 0.375;

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

    /// <summary>
    /// The labelled set. <paramref name="templates"/> (templates.txt) are split into <c>train</c> and a seeded ~20%
    /// <c>validation</c> per (category, language) group (modelling choices are made on validation only);
    /// <paramref name="unseen"/> (unseen-templates.txt) is <c>template_split=test</c>, never trained on for that figure
    /// nor used for choices. Every template's variants come from its own seeded generator (seed + the template's text),
    /// and each template split gets its own multi-issue messages, so adding a training template never changes a test
    /// message. <paramref name="trainOnly"/> (training-only-templates.txt) are always <c>train</c>: they never take a
    /// validation slot, so adding them leaves the validation templates — and so the validation figure — comparable.
    /// </summary>
    public IReadOnlyList<LabelledMessage> Generate(IReadOnlyList<MessageTemplate> templates, IReadOnlyList<MessageTemplate>? unseen = null,
        IReadOnlyList<MessageTemplate>? trainOnly = null)
    {
        unseen ??= [];
        trainOnly ??= [];
        var validation = ChooseValidationTemplates(templates);
        var all = templates.Select(t => (t, split: validation.Contains(t.Index) ? "validation" : "train"))
            .Concat(trainOnly.Select((t, i) => (t: t with { Index = templates.Count + i }, split: "train")))
            .Concat(unseen.Select((t, i) => (t: t with { Index = templates.Count + trainOnly.Count + i }, split: "test")))
            .ToList();
        var rows = new List<LabelledMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (t, split) in all)
        {
            var rng = new Random(seed ^ StableHash(t.Text));
            for (var v = 0; v < VariantsPerTemplate; v++)
            {
                var (text, variations) = Vary(rng, t, plain: v == 0);
                if (seen.Add(text))
                {
                    rows.Add(new LabelledMessage($"m{rows.Count + 1:0000}", text, t.Category, t.Urgency, [], t.Language, "", split, t.Index, variations));
                }
            }
        }

        // Multi-issue: primary issue first, then a different-category issue that is no more urgent, both from the same
        // template split; about 3 per 8 templates of that split.
        foreach (var group in all.GroupBy(x => x.split).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var pool = group.Select(x => x.t).ToList();
            var rng = new Random(seed ^ StableHash("multi-issue:" + group.Key));
            var target = (int)Math.Round(pool.Count * MultiIssuePerTemplate);
            var made = 0;
            for (var attempt = 0; made < target && attempt < target * 50; attempt++)
            {
                var primary = pool[rng.Next(pool.Count)];
                var pu = Taxonomy.ParseUrgency(primary.Urgency);
                var candidates = pool.Where(s => s.Language == primary.Language && s.Category != primary.Category
                    && Taxonomy.ParseUrgency(s.Urgency) <= pu && Taxonomy.ParseUrgency(s.Urgency) <= Urgency.Normal).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }
                var secondary = candidates[rng.Next(candidates.Count)];
                var (a, va) = Vary(rng, primary, plain: false);
                var (b, _) = Vary(rng, secondary, plain: true);
                var joiners = primary.Language == "es" ? JoinersEs : JoinersEn;
                var text = a.TrimEnd('.', '!', ' ') + joiners[rng.Next(joiners.Length)] + LowerFirst(b);
                if (!seen.Add(text))
                {
                    continue;
                }
                rows.Add(new LabelledMessage($"m{rows.Count + 1:0000}", text, primary.Category, primary.Urgency, [secondary.Category], primary.Language, "",
                    group.Key, primary.Index, [.. va, "multi_issue"]));
                made++;
            }
        }

        // Message-level split, stratified by (category, urgency).
        var test = new HashSet<string>();
        var splitRng = new Random(seed);
        foreach (var cell in rows.GroupBy(r => (r.Category, r.Urgency)).OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Urgency, StringComparer.Ordinal))
        {
            var list = cell.OrderBy(r => StableHash(r.Text) ^ splitRng.Next()).ToList();
            foreach (var r in list.Take((int)Math.Round(list.Count * 0.2)))
            {
                test.Add(r.Id);
            }
        }
        return rows.Select(r => r with { Split = test.Contains(r.Id) ? "test" : "train" }).ToList();
    }

    /// <summary>About 20% of the templates of every (category, language) group, at least one where the group has 3+, by a seeded hash of the text.</summary>
    private HashSet<int> ChooseValidationTemplates(IReadOnlyList<MessageTemplate> templates)
    {
        var chosen = new HashSet<int>();
        foreach (var group in templates.GroupBy(t => (t.Category, t.Language)))
        {
            var list = group.OrderBy(t => StableHash("validation:" + t.Text) ^ seed).ThenBy(t => t.Index).ToList();
            var n = list.Count < 3 ? 0 : Math.Max(1, (int)Math.Round(list.Count * 0.2));
            foreach (var t in list.Take(n))
            {
                chosen.Add(t.Index);
            }
        }
        return chosen;
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes and runtimes (string.GetHashCode is not).</summary>
    private static int StableHash(string text)
    {
        var h = 2166136261u;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 16777619u;
        }
        return (int)(h & 0x7fffffff);
    }

    private static (string Text, List<string> Variations) Vary(Random rng, MessageTemplate t, bool plain)
    {
        var variations = new List<string>();
        var text = FillSlots(rng, t.Text);
        var es = t.Language == "es";
        if (!plain)
        {
            if (rng.NextDouble() < 0.35)
            {
                var g = es ? GreetingsEs : GreetingsEn;
                text = g[rng.Next(g.Length)] + " " + LowerFirst(text);
                variations.Add("greeting");
            }
            if (rng.NextDouble() < 0.35)
            {
                var s = es ? SignOffsEs : SignOffsEn;
                text = text.TrimEnd('.', ' ') + ". " + s[rng.Next(s.Length)];
                variations.Add("sign_off");
            }
            if (!es && rng.NextDouble() < 0.3)
            {
                text = ApplySlang(rng, text);
                variations.Add("slang");
            }
            if (es && rng.NextDouble() < 0.4)
            {
                text = StripAccents(text);
                variations.Add("no_accents");
            }
            if (rng.NextDouble() < 0.35)
            {
                text = Typos(rng, text, 1 + rng.Next(2));
                variations.Add("typos");
            }
            var casing = rng.NextDouble();
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
            if (rng.NextDouble() < 0.2)
            {
                text = text.TrimEnd('.', '!', '?') + (rng.NextDouble() < 0.5 ? "!!" : "");
            }
        }
        return (text, variations);
    }

    private static string FillSlots(Random rng, string text)
    {
        var sb = new StringBuilder(text);
        foreach (var (slot, values) in Slots)
        {
            var token = "{" + slot + "}";
            while (sb.ToString().Contains(token, StringComparison.Ordinal))
            {
                var s = sb.ToString();
                var i = s.IndexOf(token, StringComparison.Ordinal);
                sb.Remove(i, token.Length).Insert(i, values[rng.Next(values.Length)]);
            }
        }
        return sb.ToString();
    }

    private static string ApplySlang(Random rng, string text)
    {
        foreach (var (from, to) in Slang)
        {
            if (rng.NextDouble() < 0.6)
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

    private static string Typos(Random rng, string text, int count)
    {
        var words = text.Split(' ');
        for (var k = 0; k < count; k++)
        {
            var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 5 && words[i].All(char.IsLetter)).ToList();
            if (candidates.Count == 0)
            {
                break;
            }
            var wi = candidates[rng.Next(candidates.Count)];
            var w = words[wi].ToCharArray().ToList();
            var p = 1 + rng.Next(w.Count - 2);
            switch (rng.Next(3))
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

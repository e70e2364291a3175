using System.Globalization;
using System.Text;

namespace ApartmentManager.Text;

/// <summary>
/// Makes text look to the rules, the injection checks and the models the way it looks to a reader: compatibility
/// forms folded (NFKC: full-width letters, ligatures, mathematical and circled letters, odd spaces), format and control
/// characters and combining marks removed (zero-width spaces, bidi overrides, tag characters, "zalgo"), and letters
/// that merely look Latin (Cyrillic "а", Greek "ο") folded to Latin. So "ign\u200Bore previous instructions",
/// "ｉｇｎｏｒｅ" and "іgnоre" are all "ignore".
/// </summary>
/// <remarks>
/// The hosts run with InvariantGlobalization, where <see cref="string.Normalize(NormalizationForm)"/> returns its input
/// unchanged; the compatibility folding is therefore done here for the blocks an attacker can use to hide Latin text.
/// </remarks>
public static class UnicodeSanitizer
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s;
        try
        {
            s = text.Normalize(NormalizationForm.FormKC); // full NFKC where ICU is present; a no-op otherwise
        }
        catch (ArgumentException)
        {
            s = text; // invalid code points (lone surrogates): dropped below
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            int cp;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                continue; // a lone surrogate is not text
            }
            else
            {
                cp = s[i];
            }
            Append(sb, cp);
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int cp)
    {
        switch (cp)
        {
            case '\n' or '\t':
                sb.Append(cp == '\t' ? ' ' : '\n');
                return;
            case '\r':
                sb.Append('\n');
                return;
        }
        if (Compatibility(cp) is { } folded)
        {
            sb.Append(folded);
            return;
        }
        var category = CharUnicodeInfo.GetUnicodeCategory(cp);
        switch (category)
        {
            case UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                sb.Append(cp is 0x2028 or 0x2029 or 0x85 ? '\n' : ' ');
                return;
            case UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate:
                return; // invisible: zero-width, bidi controls, tags, variation selectors, combining marks
            case UnicodeCategory.SpaceSeparator:
                sb.Append(' ');
                return;
        }
        if (cp < 0x10000 && Confusables.TryGetValue((char)cp, out var latin))
        {
            sb.Append(latin);
            return;
        }
        if (cp < 0x10000)
        {
            sb.Append((char)cp);
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(cp));
        }
    }

    /// <summary>NFKC's compatibility mappings for the blocks that spell Latin letters and digits another way.</summary>
    private static string? Compatibility(int cp) => cp switch
    {
        >= 0xFF01 and <= 0xFF5E => ((char)(cp - 0xFEE0)).ToString(), // full-width ASCII
        >= 0x1D400 and <= 0x1D6A3 => Letter((cp - 0x1D400) % 52), // mathematical bold/italic/script/fraktur/… letters
        >= 0x1D7CE and <= 0x1D7FF => ((char)('0' + (cp - 0x1D7CE) % 10)).ToString(), // mathematical digits
        >= 0x24B6 and <= 0x24CF => ((char)('A' + cp - 0x24B6)).ToString(), // circled capitals
        >= 0x24D0 and <= 0x24E9 => ((char)('a' + cp - 0x24D0)).ToString(), // circled small letters
        >= 0x249C and <= 0x24B5 => ((char)('a' + cp - 0x249C)).ToString(), // parenthesized small letters
        >= 0x2460 and <= 0x2468 => ((char)('1' + cp - 0x2460)).ToString(), // circled digits
        >= 0x2474 and <= 0x247C => ((char)('1' + cp - 0x2474)).ToString(), // parenthesized digits
        >= 0x2488 and <= 0x2490 => ((char)('1' + cp - 0x2488)).ToString(), // digits with a full stop
        >= 0x1F130 and <= 0x1F149 => ((char)('A' + cp - 0x1F130)).ToString(), // squared capitals
        >= 0x1F150 and <= 0x1F169 => ((char)('A' + cp - 0x1F150)).ToString(), // negative circled capitals
        >= 0x1F170 and <= 0x1F189 => ((char)('A' + cp - 0x1F170)).ToString(), // negative squared capitals
        >= 0x1F1E6 and <= 0x1F1FF => ((char)('A' + cp - 0x1F1E6)).ToString(), // regional indicators
        >= 0x2080 and <= 0x2089 => ((char)('0' + cp - 0x2080)).ToString(), // subscript digits
        >= 0x2074 and <= 0x2079 => ((char)('0' + cp - 0x2070)).ToString(), // superscript digits
        0x2070 => "0", 0x00B9 => "1", 0x00B2 => "2", 0x00B3 => "3",
        0xFB00 => "ff", 0xFB01 => "fi", 0xFB02 => "fl", 0xFB03 => "ffi", 0xFB04 => "ffl", 0xFB05 or 0xFB06 => "st",
        0x0132 => "IJ", 0x0133 => "ij", 0x01C7 => "LJ", 0x01C8 => "Lj", 0x01C9 => "lj", 0x01CA => "NJ", 0x01CB => "Nj", 0x01CC => "nj",
        0x2160 => "I", 0x2164 => "V", 0x2169 => "X", 0x216C => "L", 0x216D => "C", 0x216E => "D", 0x216F => "M",
        0x2170 => "i", 0x2174 => "v", 0x2179 => "x", 0x217C => "l", 0x217D => "c", 0x217E => "d", 0x217F => "m",
        0x2102 => "C", 0x210A => "g", 0x210B or 0x210C or 0x210D => "H", 0x210E => "h", 0x2110 or 0x2111 => "I",
        0x2112 => "L", 0x2113 => "l", 0x2115 => "N", 0x2119 => "P", 0x211A => "Q", 0x211B or 0x211C or 0x211D => "R",
        0x2124 or 0x2128 => "Z", 0x212A => "K", 0x212B => "A", 0x212C => "B", 0x212D => "C", 0x212F => "e", 0x2130 => "E",
        0x2131 => "F", 0x2133 => "M", 0x2134 => "o", 0x2139 => "i", 0x2145 => "D", 0x2146 => "d", 0x2147 => "e", 0x2148 => "i", 0x2149 => "j",
        0x017F => "s", 0x2024 => ".", 0x2025 => "..", 0x2026 => "...", 0xFE52 => ".", 0xFE55 => ":", 0xFF61 => ".",
        _ => null,
    };

    private static string Letter(int index) => ((char)(index < 26 ? 'A' + index : 'a' + index - 26)).ToString();

    /// <summary>Letters of other scripts that are drawn like Latin ones (Unicode's confusables, the common part).</summary>
    private static readonly Dictionary<char, char> Confusables = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c',
        ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w',
        ['һ'] = 'h', ['ӏ'] = 'l', ['ɡ'] = 'g', ['ո'] = 'n', ['ս'] = 'u', ['օ'] = 'o',
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['Ё'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P', ['С'] = 'C',
        ['Т'] = 'T', ['У'] = 'Y', ['Х'] = 'X', ['Ѕ'] = 'S', ['І'] = 'I', ['Ї'] = 'I', ['Ј'] = 'J', ['Ԁ'] = 'D', ['Ԛ'] = 'Q', ['Ԝ'] = 'W',
        ['Һ'] = 'H', ['Ӏ'] = 'I',
        // Greek
        ['α'] = 'a', ['ο'] = 'o', ['ν'] = 'v', ['ι'] = 'i', ['κ'] = 'k', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ϲ'] = 'c',
        ['ϳ'] = 'j', ['ε'] = 'e', ['η'] = 'n', ['γ'] = 'y', ['ω'] = 'w',
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N', ['Ο'] = 'O',
        ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X', ['Ϲ'] = 'C',
        // Latin look-alikes outside ASCII
        ['ı'] = 'i', ['ȷ'] = 'j', ['ℓ'] = 'l', ['ǀ'] = 'l', ['ɑ'] = 'a', ['ʏ'] = 'y', ['ɪ'] = 'i', ['ᴀ'] = 'a', ['ʙ'] = 'b', ['ᴄ'] = 'c',
        ['ᴅ'] = 'd', ['ᴇ'] = 'e', ['ɢ'] = 'g', ['ʜ'] = 'h', ['ᴊ'] = 'j', ['ᴋ'] = 'k', ['ʟ'] = 'l', ['ᴍ'] = 'm', ['ɴ'] = 'n', ['ᴏ'] = 'o',
        ['ᴘ'] = 'p', ['ʀ'] = 'r', ['ꜱ'] = 's', ['ᴛ'] = 't', ['ᴜ'] = 'u', ['ᴠ'] = 'v', ['ᴡ'] = 'w', ['ᴢ'] = 'z',
    };
}

using System.Text.RegularExpressions;
using ApartmentManager.Text;

namespace ApartmentManager.Intelligence.Guardrails;

/// <summary>
/// Replaces e-mail addresses, phone numbers, payment card numbers (Luhn-checked), IBANs, bank account/routing
/// numbers, SSNs (dashes, spaces or dots), dates of birth, street addresses and names given in self-introductions or
/// sign-offs with placeholders. Applied to everything that leaves the process (LLM prompts), after
/// <see cref="UnicodeSanitizer"/>, so zero-width characters or full-width digits do not hide a number.
/// </summary>
public static partial class PiiRedactor
{
    public const string Email = "[EMAIL]", Phone = "[PHONE]", Card = "[CARD]", Bank = "[BANK_ACCOUNT]", Ssn = "[SSN]", Number = "[NUMBER]",
        Name = "[NAME]", Address = "[ADDRESS]", BirthDate = "[DOB]";

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = EmailRegex().Replace(UnicodeSanitizer.Clean(text), Email);
        s = BirthDateRegex().Replace(s, m => m.Groups["pre"].Value + BirthDate);
        s = SsnContextRegex().Replace(s, m => m.Groups["pre"].Value + Ssn);
        s = IbanRegex().Replace(s, Bank);
        s = BankContextRegex().Replace(s, m => m.Groups["pre"].Value + Bank);
        s = CardRegex().Replace(s, m => Luhn(m.Value) ? Card : m.Value);
        s = SsnRegex().Replace(s, Ssn);
        s = PhoneRegex().Replace(s, Phone);
        s = StreetAddressRegex().Replace(s, Address);
        s = SelfIntroductionRegex().Replace(s, m => IsName(m.Groups["name"].Value) ? m.Groups["pre"].Value + Name : m.Value);
        s = SignOffRegex().Replace(s, m => IsName(m.Groups["name"].Value) ? m.Groups["pre"].Value + Name : m.Value);
        // Whatever long digit run is left (account numbers without a keyword, unformatted cards failing Luhn…).
        s = LongNumberRegex().Replace(s, Number);
        return s;
    }

    /// <summary>Capitalised words that follow "I'm" or "this is" without being a name.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "not", "so", "very", "really", "still", "just", "in", "at", "on", "from", "writing", "going", "having",
        "sorry", "afraid", "unable", "here", "home", "away", "out", "back", "also", "again", "your", "my", "our", "unit", "apartment",
        "apt", "building", "tenant", "resident", "urgent", "an", "emergency", "please", "thanks", "thank", "regards", "best", "it",
        "this", "that", "there", "calling", "texting", "messaging", "following", "worried", "concerned", "confused", "annoyed",
        "frustrated", "upset", "tired", "sick", "pregnant", "disabled", "elderly", "new", "moving", "leaving", "locked", "stuck",
        "la", "el", "una", "un", "de", "del", "muy", "inquilino", "residente",
    };

    private static bool IsName(string candidate)
    {
        var first = candidate.Split(' ', 2)[0];
        return first.Length > 1 && !NotNames.Contains(first);
    }

    private static bool Luhn(string candidate)
    {
        var digits = candidate.Where(char.IsDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]{4}){2,7}(?:[ \-]?[A-Z0-9]{1,4})?\b")]
    private static partial Regex IbanRegex();

    [GeneratedRegex(@"(?<pre>\b(?:account|acct|routing|aba|bank|iban|clabe|cuenta|checking|savings)\b[^0-9\n]{0,25})\d[\d\s\-]{4,22}\d", RegexOptions.IgnoreCase)]
    private static partial Regex BankContextRegex();

    [GeneratedRegex(@"\b(?:\d[ \-]?){12,18}\d\b")]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"(?<!\d[ .\-]?)\b\d{3}[ .\-]\s?\d{2}[ .\-]\s?\d{4}\b(?![ .\-]?\d)")]
    private static partial Regex SsnRegex();

    [GeneratedRegex(@"(?<pre>\b(?:ssn|social security(?: number| no\.?| #)?|seguro social)\b[^0-9\n]{0,15})\d(?:[ .\-]?\d){8}\b", RegexOptions.IgnoreCase)]
    private static partial Regex SsnContextRegex();

    private const string Month = @"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)";

    [GeneratedRegex(@"(?<pre>\b(?:born(?: on| in)?|d\.?o\.?b\.?|date of birth|birth ?date|birthday(?: is)?|fecha de nacimiento|nac[ií](?:do|da)?(?: el)?)\b[^0-9a-z\n]{0,6}(?:is |was |on |el )?)(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|" + Month + @"\.? \d{1,2}(?:st|nd|rd|th)?,? \d{2,4}|\d{1,2}(?:st|nd|rd|th)? (?:of |de )?" + Month + @"\.?,?(?: (?:of |de )?\d{2,4})?)", RegexOptions.IgnoreCase)]
    private static partial Regex BirthDateRegex();

    private const string StreetSuffix = @"(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|alley|crescent|close)";

    [GeneratedRegex(@"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'\-]*\.?\s+){1,3}" + StreetSuffix + @"\b\.?(?:,?\s*(?i:apt|apartment|unit|suite|ste|#)\.?\s*#?[\w\-]+)?|\b(?i:calle|avenida|av\.|carrera|paseo)\s+(?:[A-Z][\w'\-]*\s+){1,3}(?:n[oº°]\.?\s*)?\d{1,5}\b")]
    private static partial Regex StreetAddressRegex();

    [GeneratedRegex(@"(?<pre>\b(?i:my name is|my name's|name is|i am|i'm|im|this is|it's|call me|me llamo|mi nombre es|soy)\s+)(?<name>\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+){0,2})")]
    private static partial Regex SelfIntroductionRegex();

    [GeneratedRegex(@"(?<pre>\b(?i:thanks|thank you|regards|best|cheers|sincerely|respectfully|gracias|saludos|atentamente)[,.!]?\s*(?:\n|-|–|—)?\s*)(?<name>\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+){0,2})\s*[.!]?\s*$")]
    private static partial Regex SignOffRegex();

    [GeneratedRegex(@"(?<![\w])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\w])")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"\b\d{8,}\b")]
    private static partial Regex LongNumberRegex();
}

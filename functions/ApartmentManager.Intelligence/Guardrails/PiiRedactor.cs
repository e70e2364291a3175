using System.Text.RegularExpressions;

namespace ApartmentManager.Intelligence.Guardrails;

/// <summary>
/// Replaces e-mail addresses, phone numbers, payment card numbers (Luhn-checked), IBANs, bank account/routing
/// numbers and SSN-like numbers with placeholders. Applied to everything that leaves the process (LLM prompts).
/// </summary>
public static partial class PiiRedactor
{
    public const string Email = "[EMAIL]", Phone = "[PHONE]", Card = "[CARD]", Bank = "[BANK_ACCOUNT]", Ssn = "[SSN]", Number = "[NUMBER]";

    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = EmailRegex().Replace(text, Email);
        s = IbanRegex().Replace(s, Bank);
        s = BankContextRegex().Replace(s, m => m.Groups["pre"].Value + Bank);
        s = CardRegex().Replace(s, m => Luhn(m.Value) ? Card : m.Value);
        s = SsnRegex().Replace(s, Ssn);
        s = PhoneRegex().Replace(s, Phone);
        // Whatever long digit run is left (account numbers without a keyword, unformatted cards failing Luhn…).
        s = LongNumberRegex().Replace(s, Number);
        return s;
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

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")]
    private static partial Regex IbanRegex();

    [GeneratedRegex(@"(?<pre>\b(?:account|acct|routing|aba|bank|iban|clabe|cuenta|checking|savings)\b[^0-9\n]{0,25})\d[\d\s\-]{4,22}\d", RegexOptions.IgnoreCase)]
    private static partial Regex BankContextRegex();

    [GeneratedRegex(@"\b(?:\d[ \-]?){12,18}\d\b")]
    private static partial Regex CardRegex();

    [GeneratedRegex(@"\b\d{3}-\d{2}-\d{4}\b")]
    private static partial Regex SsnRegex();

    [GeneratedRegex(@"(?<![\w])(?:\+\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\w])")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"\b\d{8,}\b")]
    private static partial Regex LongNumberRegex();
}

using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>
/// The credit a <c>billing_credit</c> option gives: the amount the office's ledger review found wrong when it found the
/// charge wrong; otherwise the amount the option itself carries (fixed from the policy when it was generated), else the
/// policy's standard goodwill amount. Never an amount read from the resident's message.
/// </summary>
public static class CreditAmount
{
    public static decimal Of(ResidentRequest request, ResolutionOption option, DecisionOptions policy) =>
        request.Finding is { ChargeWrong: true } finding ? finding.Amount : option.Amount ?? Standard(policy);

    /// <summary>The standard goodwill amount, rounded to cents.</summary>
    public static decimal Standard(DecisionOptions policy) => decimal.Round((decimal)policy.Credits.GoodwillAmount, 2);
}

using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>The credit a billing_credit option gives: the disputed amount named in the message, or the goodwill amount.</summary>
public static class CreditAmount
{
    public static double For(ResidentRequest request, DecisionOptions policy) =>
        BillingCreditGenerator.DisputedAmount(request.Message) ?? policy.Credits.BillingDisputeGoodwill;
}

using ApartmentManager.Decisions.Options;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Tests;

public class OptionGeneratorTests
{
    private static List<string> Kinds(Category category, Urgency urgency, double risk = 0.2, RiskLevel level = RiskLevel.Low,
        string message = "Something is wrong.", IReadOnlyList<string>? evidence = null)
    {
        var request = TestRequests.Make(category, urgency, risk, level, message, evidence: evidence);
        var context = OptionSimulator.CreateContext(request, new DecisionOptions());
        return OptionGenerators.GenerateAll(context).Select(t => t.Kind).ToList();
    }

    [Fact]
    public void Emergency_plumbing_offers_dispatch_and_the_emergency_vendor_but_no_self_help()
    {
        var kinds = Kinds(Category.Plumbing, Urgency.Emergency, 0.8, RiskLevel.High);
        Assert.Contains(OptionKinds.DispatchNow, kinds);
        Assert.Contains(OptionKinds.Vendor, kinds);
        Assert.Contains(OptionKinds.ScheduleBySla, kinds); // offered so the policy can rule it out visibly
        Assert.DoesNotContain(OptionKinds.SelfHelpFollowUp, kinds);
    }

    [Fact]
    public void Dispatch_now_needs_urgency_or_risk()
    {
        Assert.DoesNotContain(OptionKinds.DispatchNow, Kinds(Category.Appliance, Urgency.Normal));
        Assert.Contains(OptionKinds.DispatchNow, Kinds(Category.Appliance, Urgency.High));
        Assert.Contains(OptionKinds.DispatchNow, Kinds(Category.Appliance, Urgency.Normal, 0.7, RiskLevel.High));
    }

    [Fact]
    public void Self_help_only_where_a_resident_can_safely_help()
    {
        Assert.Contains(OptionKinds.SelfHelpFollowUp, Kinds(Category.Hvac, Urgency.Normal));
        Assert.Contains(OptionKinds.SelfHelpFollowUp, Kinds(Category.PackageDelivery, Urgency.Low));
        Assert.DoesNotContain(OptionKinds.SelfHelpFollowUp, Kinds(Category.Electrical, Urgency.Normal));
        Assert.DoesNotContain(OptionKinds.SelfHelpFollowUp, Kinds(Category.Structural, Urgency.Low));
    }

    [Fact]
    public void Vendors_for_specialist_trades()
    {
        Assert.Contains(OptionKinds.Vendor, Kinds(Category.Pest, Urgency.Normal));
        Assert.Contains(OptionKinds.Vendor, Kinds(Category.Hvac, Urgency.Low));
        Assert.DoesNotContain(OptionKinds.Vendor, Kinds(Category.Plumbing, Urgency.Normal));
    }

    [Fact]
    public void Chargeback_only_when_the_message_points_at_the_resident()
    {
        Assert.DoesNotContain(OptionKinds.RepairWithChargeback, Kinds(Category.Appliance, Urgency.Normal));
        Assert.Contains(OptionKinds.RepairWithChargeback, Kinds(Category.Appliance, Urgency.Normal, message: "I accidentally broke the oven door."));
    }

    [Fact]
    public void Billing_offers_a_ledger_review_and_a_standard_goodwill_credit_whatever_amount_the_message_names()
    {
        var policy = new DecisionOptions();
        policy.Credits.GoodwillAmount = 35;
        foreach (var message in new[] { "I was charged a $180.50 late fee but I paid on time.", "My rent is wrong", "You charged me $4,000 twice!" })
        {
            var request = TestRequests.Make(Category.Billing, Urgency.Normal, 0.2, RiskLevel.Low, message);
            var templates = OptionGenerators.GenerateAll(OptionSimulator.CreateContext(request, policy));
            Assert.Equal([OptionKinds.LedgerReview, OptionKinds.BillingCredit], templates.Select(t => t.Kind));
            Assert.Equal(35m, templates[1].Amount);
        }
    }

    [Theory]
    [InlineData(Category.NoiseNeighbor, new[] { OptionKinds.MediationLetter, OptionKinds.LeaseOfficeReview })]
    [InlineData(Category.Lease, new[] { OptionKinds.SelfHelpFollowUp, OptionKinds.LeaseOfficeReview })]
    [InlineData(Category.PackageDelivery, new[] { OptionKinds.SelfHelpFollowUp, OptionKinds.PackageHandling })]
    [InlineData(Category.AmenityParking, new[] { OptionKinds.LeaseOfficeReview, OptionKinds.AmenityHandling })]
    [InlineData(Category.General, new[] { OptionKinds.ScheduleBySla, OptionKinds.SelfHelpFollowUp, OptionKinds.LeaseOfficeReview })]
    public void Office_categories_get_office_options(Category category, string[] expected)
    {
        Assert.Equal(expected, Kinds(category, Urgency.Normal));
    }

    [Fact]
    public void Every_category_and_urgency_gets_options_and_physical_ones_a_choice()
    {
        foreach (var category in Enum.GetValues<Category>())
        {
            foreach (var urgency in Enum.GetValues<Urgency>())
            {
                int count = Kinds(category, urgency).Count;
                Assert.True(count >= (GenerationContext.IsPhysical(category) ? 2 : 1), $"{category}/{urgency}: {count}");
            }
        }
    }
}

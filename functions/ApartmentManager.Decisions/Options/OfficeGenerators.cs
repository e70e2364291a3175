using System.Globalization;
using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>The office reviews the resident's ledger and corrects what is wrong.</summary>
internal sealed class LedgerReviewGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.LedgerReview;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category != Category.Billing)
        {
            return null;
        }
        var model = OfficeModel.Create(c, startDelay: new LogNormal(4, 24), work: new LogNormal(24, 96), satisfaction: 0.80);
        return new(Kind, "Review the ledger",
            "The office reviews the charges on the resident's ledger and corrects any error; the resident hears back with the outcome.",
            model, "billing disputes ledger review charges correction");
    }
}

/// <summary>
/// A goodwill credit of the policy's standard amount. The amount never comes from the message: a resident naming
/// "$400" gets the same offer as one naming none, and the credit waits for review or approval (see the approval rules).
/// </summary>
internal sealed class BillingCreditGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.BillingCredit;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category != Category.Billing)
        {
            return null;
        }
        decimal amount = CreditAmount.Standard(c.Policy);
        var model = OfficeModel.Create(c, startDelay: new LogNormal(1, 4), work: new LogNormal(0.25, 1), satisfaction: 0.93);
        var withCredit = new OptionModel
        {
            Pool = model.Pool,
            StartDelay = model.StartDelay,
            Work = model.Work,
            HourlyRate = model.HourlyRate,
            BilledHoursCap = model.BilledHoursCap,
            FixedCost = (double)amount,
            EscalationCost = model.EscalationCost,
            SatisfactionBase = model.SatisfactionBase,
            PatienceHours = model.PatienceHours,
        };
        return new(Kind, "Goodwill credit",
            $"A goodwill credit of {amount.ToString("0.00", CultureInfo.InvariantCulture)} is posted to the resident's ledger once a manager approves it or the ledger review finds the charge wrong.",
            withCredit, "billing credits goodwill credit limits approval", Amount: amount);
    }
}

/// <summary>A formal letter to the neighbour under the quiet-hours policy, the first mediation step.</summary>
internal sealed class MediationLetterGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.MediationLetter;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category != Category.NoiseNeighbor)
        {
            return null;
        }
        // The letter goes out quickly; whether the noise stops takes days.
        var model = OfficeModel.Create(c, startDelay: new LogNormal(2, 12), work: new LogNormal(72, 240), satisfaction: 0.75);
        return new(Kind, "Send a mediation letter",
            "The office sends the neighbour a formal letter citing the quiet-hours policy and offers mediation if it continues.",
            model, "quiet hours noise complaints neighbour mediation letter");
    }
}

/// <summary>A person in the leasing office reviews the matter (lease questions, repeated complaints, anything unclear).</summary>
internal sealed class LeaseOfficeReviewGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.LeaseOfficeReview;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category is not (Category.Lease or Category.NoiseNeighbor or Category.General or Category.AmenityParking))
        {
            return null;
        }
        var model = OfficeModel.Create(c, startDelay: new LogNormal(8, 36), work: new LogNormal(24, 96), satisfaction: 0.80);
        return new(Kind, "Leasing office review",
            "A member of the leasing office reviews the matter with the resident and follows it up personally.",
            model, $"leasing office {CategoryProfile.Name(c.Category)} lease terms resident services");
    }
}

/// <summary>Trace the package with the carrier and the locker logs.</summary>
internal sealed class PackageHandlingGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.PackageHandling;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category != Category.PackageDelivery)
        {
            return null;
        }
        var model = OfficeModel.Create(c, startDelay: new LogNormal(1, 6), work: new LogNormal(4, 24), satisfaction: 0.82);
        return new(Kind, "Trace the package",
            "Staff check the package room and locker logs and contact the carrier, then tell the resident what they found.",
            model, "packages deliveries package room lockers lost package");
    }
}

/// <summary>Staff deal with the amenity or parking problem (booking, access, a car in the wrong spot).</summary>
internal sealed class AmenityHandlingGenerator : IOptionGenerator
{
    public string Kind => OptionKinds.AmenityHandling;

    public OptionTemplate? Generate(GenerationContext c)
    {
        if (c.Category != Category.AmenityParking)
        {
            return null;
        }
        var model = OfficeModel.Create(c, startDelay: new LogNormal(1, 6), work: new LogNormal(2, 12), satisfaction: 0.84);
        return new(Kind, "Staff handle the amenity or parking issue",
            "On-site staff deal with the amenity or parking problem (access, booking, towing under the parking policy).",
            model, "amenities parking towing reservations rules");
    }
}

internal static class OfficeModel
{
    public static OptionModel Create(GenerationContext c, LogNormal startDelay, LogNormal work, double satisfaction) => new()
    {
        Pool = ServiceNetwork.Office,
        StartDelay = startDelay,
        Work = work,
        HourlyRate = 35,
        BilledHoursCap = 1.5,
        EscalationCost = CategoryProfile.For(c.Category).EscalationCost,
        SatisfactionBase = satisfaction,
        PatienceHours = Math.Max(48, c.Sla.ResolutionHours),
    };
}

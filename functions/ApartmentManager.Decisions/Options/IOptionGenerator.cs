namespace ApartmentManager.Decisions.Options;

/// <summary>Offers one kind of option when the request's category and urgency make it a real possibility.</summary>
/// <remarks>
/// Generators are deliberately a little generous (e.g. a scheduled visit is offered for an emergency too): the
/// decision policy's hard constraints rule such options out and say so, which is what a manager wants to read.
/// </remarks>
internal interface IOptionGenerator
{
    string Kind { get; }
    OptionTemplate? Generate(GenerationContext context);
}

internal static class OptionGenerators
{
    public static readonly IReadOnlyList<IOptionGenerator> All =
    [
        new DispatchNowGenerator(),
        new ScheduleBySlaGenerator(),
        new SelfHelpGenerator(),
        new VendorGenerator(),
        new RepairWithChargebackGenerator(),
        new LedgerReviewGenerator(),
        new BillingCreditGenerator(),
        new MediationLetterGenerator(),
        new LeaseOfficeReviewGenerator(),
        new PackageHandlingGenerator(),
        new AmenityHandlingGenerator(),
    ];

    public static List<OptionTemplate> GenerateAll(GenerationContext context)
    {
        var templates = new List<OptionTemplate>(All.Count);
        foreach (var generator in All)
        {
            if (generator.Generate(context) is { } template)
            {
                templates.Add(template);
            }
        }
        return templates;
    }
}

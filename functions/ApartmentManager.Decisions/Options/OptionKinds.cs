namespace ApartmentManager.Decisions.Options;

/// <summary>The machine names of resolution options (<c>ResolutionOption.Kind</c>, also used as the option id).</summary>
public static class OptionKinds
{
    public const string DispatchNow = "dispatch_now";
    public const string ScheduleBySla = "schedule_by_sla";
    public const string SelfHelpFollowUp = "self_help_follow_up";
    public const string Vendor = "vendor";
    public const string RepairWithChargeback = "repair_with_chargeback";
    public const string BillingCredit = "billing_credit";
    public const string LedgerReview = ApartmentManager.Domain.LedgerFinding.ReviewOptionKind;
    public const string MediationLetter = "mediation_letter";
    public const string LeaseOfficeReview = "lease_office_review";
    public const string PackageHandling = "package_handling";
    public const string AmenityHandling = "amenity_handling";

    /// <summary>Options that send someone to the unit now (what an emergency requires).</summary>
    public static bool IsDispatch(string kind) => kind is DispatchNow || kind == Vendor;
}

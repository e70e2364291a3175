using ApartmentManager.Decisions.Simulation;
using ApartmentManager.Domain;

namespace ApartmentManager.Decisions.Options;

/// <summary>How a category's repairs usually go: work time, parts, what an escalation costs, how well self-help works.</summary>
internal sealed record CategoryProfile(
    LogNormal Work,
    double PartsProbability,
    LogNormal EscalationCost,
    double SelfHelpSuccess,
    string Noun)
{
    public static CategoryProfile For(Category category) => category switch
    {
        Category.Plumbing => new(new(1.0, 3.0), 0.20, new(400, 3000), 0.35, "plumbing issue"),
        Category.Electrical => new(new(1.2, 3.0), 0.15, new(300, 2500), 0.0, "electrical issue"),
        Category.Hvac => new(new(1.5, 4.0), 0.30, new(150, 800), 0.40, "heating or cooling issue"),
        Category.Appliance => new(new(1.0, 2.5), 0.35, new(100, 400), 0.30, "appliance problem"),
        Category.Pest => new(new(1.0, 2.0), 0.0, new(150, 600), 0.25, "pest problem"),
        Category.Structural => new(new(3.0, 8.0), 0.30, new(800, 5000), 0.0, "structural damage"),
        Category.SecurityAccess => new(new(0.5, 1.5), 0.10, new(200, 1200), 0.0, "access or security issue"),
        Category.Billing => new(new(0.5, 1.5), 0.0, new(80, 300), 0.0, "billing question"),
        Category.NoiseNeighbor => new(new(0.5, 1.0), 0.0, new(80, 300), 0.0, "noise or neighbour issue"),
        Category.Lease => new(new(0.5, 1.5), 0.0, new(80, 300), 0.45, "lease question"),
        Category.PackageDelivery => new(new(1.0, 4.0), 0.0, new(50, 200), 0.45, "package problem"),
        Category.AmenityParking => new(new(1.0, 4.0), 0.0, new(80, 300), 0.0, "amenity or parking issue"),
        _ => new(new(1.0, 3.0), 0.0, new(80, 300), 0.30, "request"),
    };

    public static string Name(Category category) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(category.ToString()).Replace('_', ' ');
}

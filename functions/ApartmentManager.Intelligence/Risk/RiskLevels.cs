using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence.Risk;

/// <summary>
/// Probability of escalation within 14 days → level. Cut-offs: low &lt; 0.15 ≤ medium &lt; 0.35 ≤ high &lt; 0.60 ≤ critical.
/// Chosen against the generated population's base rate (~30%): "medium" is above-average risk, "critical"
/// means escalation is more likely than not.
/// </summary>
public static class RiskLevels
{
    public const double Medium = 0.15;
    public const double High = 0.35;
    public const double Critical = 0.60;

    public static RiskLevel Of(double probability) => probability switch
    {
        >= Critical => RiskLevel.Critical,
        >= High => RiskLevel.High,
        >= Medium => RiskLevel.Medium,
        _ => RiskLevel.Low,
    };
}

using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.ModelTraining.Data;

/// <summary>One generated request with its true escalation probability and sampled outcome.</summary>
public sealed record RiskRow(RiskFeatures Features, double TrueProbability, int Escalated, string Split);

/// <summary>
/// The documented causal model behind the risk training data (see data/README.md). Log-odds of escalation within
/// 14 days = −4.6 + 1.5 × [urgency + 0.55·hazard cues + category + after-hours 0.35 + weekend 0.2 + season×category
/// + 0.025·(building age − 30) + 0.35·min(incidents, 6) + 0.55·min(repeats, 4) (+0.35 more per repeat for noise)
/// + 0.8·vulnerable + 0.5·ln(1 + days since maintenance / 90)] + N(0, 0.5) unobserved noise. Unknown inputs
/// (null) contribute their population average, because in the world the value exists even when we do not know it.
/// </summary>
public sealed class RiskSimulator(int seed)
{
    private readonly Random _rng = new(seed);

    /// <summary>Log-odds = Intercept + Strength × (sum of the effects below) + N(0, NoiseSd).</summary>
    public const double Intercept = -4.6, Strength = 1.5, NoiseSd = 0.5;

    private static readonly (Category Category, double Weight, double Effect)[] Categories =
    [
        (Category.Plumbing, 0.20, 0.5), (Category.Electrical, 0.08, 0.45), (Category.Hvac, 0.12, 0.3), (Category.Appliance, 0.10, 0.0),
        (Category.Pest, 0.06, 0.2), (Category.Structural, 0.06, 0.6), (Category.SecurityAccess, 0.07, 0.4), (Category.NoiseNeighbor, 0.08, 0.25),
        (Category.Billing, 0.06, -0.3), (Category.Lease, 0.04, -0.6), (Category.PackageDelivery, 0.04, -0.8), (Category.AmenityParking, 0.04, -0.4),
        (Category.General, 0.05, -0.6),
    ];

    public IReadOnlyList<RiskRow> Generate(int count, double testFraction)
    {
        var rows = new List<RiskRow>(count);
        for (var i = 0; i < count; i++)
        {
            var (f, p) = Sample();
            var y = _rng.NextDouble() < p ? 1 : 0;
            rows.Add(new RiskRow(f, p, y, i < count * (1 - testFraction) ? "train" : "test"));
        }
        return rows;
    }

    private (RiskFeatures, double) Sample()
    {
        var (category, catEffect) = PickCategory();
        var urgency = PickUrgency(category);
        var hazards = urgency switch
        {
            Urgency.Emergency => 1 + Poisson(0.7),
            Urgency.High => Poisson(0.4),
            Urgency.Normal => Poisson(0.1),
            _ => 0,
        };
        if (category is Category.Billing or Category.Lease or Category.PackageDelivery)
        {
            hazards = 0;
        }
        var hour = _rng.NextDouble() < 0.7 ? 8 + _rng.Next(12) : (20 + _rng.Next(12)) % 24;
        var weekday = (DayOfWeek)_rng.Next(7);
        var season = (Season)_rng.Next(4);
        double age = 1 + _rng.Next(90);
        var incidents = Poisson(0.8);
        var repeats = Poisson(0.45);
        var vulnerable = _rng.NextDouble() < 0.12;
        var daysSince = -Math.Log(1 - _rng.NextDouble()) * 200;

        var z = catEffect + urgency switch { Urgency.Low => -1.0, Urgency.Normal => 0, Urgency.High => 1.0, _ => 2.0 };
        z += 0.55 * Math.Min(hazards, 4);
        z += hour is < 7 or >= 20 ? 0.35 : 0;
        z += weekday is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.2 : 0;
        z += (season, category) switch
        {
            (Season.Winter, Category.Hvac) => 0.8,
            (Season.Summer, Category.Hvac) => 0.4,
            (Season.Winter, Category.Plumbing) => 0.3,
            (Season.Autumn, Category.Structural) or (Season.Spring, Category.Structural) => 0.2,
            _ => 0,
        };
        z += 0.025 * (age - 30);
        z += 0.35 * Math.Min(incidents, 6);
        z += 0.55 * Math.Min(repeats, 4) + (category == Category.NoiseNeighbor ? 0.35 * Math.Min(repeats, 4) : 0);
        z += vulnerable ? 0.8 : 0;
        z += 0.5 * Math.Log(1 + daysSince / 90);
        z = Intercept + Strength * z + Normal() * NoiseSd;
        var p = 1 / (1 + Math.Exp(-z));

        // What the caller knows: each history input is unknown for a share of requests.
        var features = new RiskFeatures(category, urgency, hazards, hour, weekday, season,
            _rng.NextDouble() < 0.15 ? null : age,
            _rng.NextDouble() < 0.10 ? null : incidents,
            _rng.NextDouble() < 0.10 ? null : repeats,
            _rng.NextDouble() < 0.40 ? null : vulnerable,
            _rng.NextDouble() < 0.20 ? null : Math.Round(daysSince));
        return (features, p);
    }

    private (Category, double) PickCategory()
    {
        var u = _rng.NextDouble() * Categories.Sum(c => c.Weight);
        foreach (var (c, w, e) in Categories)
        {
            if ((u -= w) <= 0)
            {
                return (c, e);
            }
        }
        return (Category.General, -0.6);
    }

    private Urgency PickUrgency(Category c)
    {
        double[] w = c switch
        {
            Category.Billing or Category.Lease or Category.PackageDelivery => [0.5, 0.5, 0, 0],
            Category.General or Category.AmenityParking or Category.NoiseNeighbor => [0.4, 0.5, 0.05, 0.05],
            Category.Pest => [0.2, 0.5, 0.3, 0],
            _ => [0.15, 0.5, 0.25, 0.10],
        };
        var u = _rng.NextDouble();
        for (var i = 0; i < 4; i++)
        {
            if ((u -= w[i]) <= 0)
            {
                return (Urgency)i;
            }
        }
        return Urgency.Normal;
    }

    private int Poisson(double lambda)
    {
        var l = Math.Exp(-lambda);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= _rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    private double Normal()
    {
        var u1 = 1 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

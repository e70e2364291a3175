using ApartmentManager.Domain;
using ApartmentManager.Intelligence.Risk;

namespace ApartmentManager.Inference.Tests;

internal static class Samples
{
    private static readonly string[] Phrases =
    [
        "water is leaking from the ceiling in the bathroom", "my heater stopped working and it is freezing", "there are cockroaches in the kitchen",
        "the front door lock is broken", "the neighbours play loud music every night", "I was charged twice for rent this month",
        "can I renew my lease early", "my package was stolen from the lobby", "the gym is closed again", "sparks from the outlet in the bedroom",
        "I smell gas near the stove", "the dishwasher does not drain", "crack in the wall is getting bigger", "el fregadero pierde agua",
        "parking spot taken by another car", "hola, la calefacción no funciona",
    ];

    /// <summary>Distinct texts: the phrase plus a number spelled as a word-ish token so each row's features differ.</summary>
    public static string Text(int i) => $"{Phrases[i % Phrases.Length]} unit{(char)('a' + i % 26)}{(char)('a' + i / 26 % 26)} floor {(char)('a' + i / 676 % 26)}";

    public static RiskFeatures Risk(int i) => new(
        (Category)(i % 13), (Urgency)(i % 4), i % 4, i % 24, (DayOfWeek)(i % 7), (Season)(i % 4),
        BuildingAgeYears: i % 3 == 0 ? null : 5 + i % 60, IncidentsLast90Days: i % 5, RepeatComplaints: i % 2 == 0 ? null : i % 3,
        Vulnerable: i % 4 == 0 ? true : null, DaysSinceLastMaintenance: i % 7 == 0 ? null : i % 400);
}

using System.Collections.Frozen;
using System.Text.Json;
using ApartmentManager.Domain;

namespace ApartmentManager.Intelligence;

/// <summary>
/// The published category and urgency names, in the order the models' output columns use. Changing an order
/// here without retraining would silently mislabel every prediction, so the models also carry the labels and
/// the runtime checks them on load.
/// </summary>
public static class Taxonomy
{
    public static IReadOnlyList<Category> Categories { get; } = Enum.GetValues<Category>();
    public static IReadOnlyList<Urgency> Urgencies { get; } = Enum.GetValues<Urgency>();

    public static IReadOnlyList<string> CategoryNames { get; } = Categories.Select(Name).ToArray();
    public static IReadOnlyList<string> UrgencyNames { get; } = Urgencies.Select(Name).ToArray();

    private static readonly FrozenDictionary<string, Category> CategoryByName =
        Categories.ToFrozenDictionary(Name, c => c, StringComparer.OrdinalIgnoreCase);
    private static readonly FrozenDictionary<string, Urgency> UrgencyByName =
        Urgencies.ToFrozenDictionary(Name, u => u, StringComparer.OrdinalIgnoreCase);

    public static string Name(Category category) => JsonNamingPolicy.SnakeCaseLower.ConvertName(category.ToString());
    public static string Name(Urgency urgency) => JsonNamingPolicy.SnakeCaseLower.ConvertName(urgency.ToString());

    public static bool TryParseCategory(string? name, out Category category) =>
        CategoryByName.TryGetValue(name?.Trim() ?? "", out category);

    public static bool TryParseUrgency(string? name, out Urgency urgency) =>
        UrgencyByName.TryGetValue(name?.Trim() ?? "", out urgency);

    public static Category ParseCategory(string name) =>
        TryParseCategory(name, out var c) ? c : throw new FormatException($"'{name}' is not a category.");

    public static Urgency ParseUrgency(string name) =>
        TryParseUrgency(name, out var u) ? u : throw new FormatException($"'{name}' is not an urgency.");
}

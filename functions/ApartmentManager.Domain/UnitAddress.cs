using System.Text;

namespace ApartmentManager.Domain;

/// <summary>
/// The canonical spelling of a building and a unit, so one apartment is one key however it was typed: "12a", "12 A",
/// "12-A" and "#12A" are unit "12A"; "Maple  Court " is building "maple court". Requests are stored, counted (repeat
/// complaints, recent incidents) and filtered by these forms.
/// </summary>
public static class UnitAddress
{
    /// <summary>Upper case, without spaces, hyphens, dots or a leading '#'.</summary>
    public static string NormalizeUnit(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var sb = new StringBuilder(unit.Length);
        foreach (char c in unit)
        {
            if (!char.IsWhiteSpace(c) && c is not ('-' or '.' or '#'))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        return sb.ToString();
    }

    /// <summary>Lower case, trimmed, inner whitespace collapsed to one space.</summary>
    public static string NormalizeBuilding(string building)
    {
        ArgumentNullException.ThrowIfNull(building);
        var sb = new StringBuilder(building.Length);
        bool space = false;
        foreach (char c in building.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}

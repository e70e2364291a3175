using System.Text.Json;

namespace ApartmentManager.Domain;

/// <summary>The wire name of an enum value (snake_case), for messages and logs.</summary>
public static class Names
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

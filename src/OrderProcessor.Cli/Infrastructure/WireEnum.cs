using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>Reads an enum flag by its wire name (MKT, STOP_LIMIT, GTC...) or C# name, case-insensitively.</summary>
public static class WireEnum
{
    public static TEnum Parse<TEnum>(string flag, string text)
        where TEnum : struct, Enum
    {
        var value = JsonSerializer.Deserialize<TEnum>(JsonSerializer.Serialize(text));
        return Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{flag}: '{text}' is not one of {string.Join(", ", LenientEnumConverter<TEnum>.Names)}.");
    }
}

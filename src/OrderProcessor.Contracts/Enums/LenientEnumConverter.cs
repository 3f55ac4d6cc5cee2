using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>
/// Reads an enum only from its wire name (IBKR's spelling, e.g. <c>STOP_LIMIT</c>; case-insensitive) and writes its wire
/// name. Anything else (a number such as <c>"side": 0</c>, the C# member name where it differs from the wire name, an
/// unknown name, another JSON type) becomes <see cref="Unrecognised"/> instead of failing the whole message, so the
/// validators answer with a rejection naming the field (rule <c>one-of</c>) rather than a dead-lettered message. Numbers
/// are refused on purpose: on a trading wire an ordinal is a guess (<c>0</c> would be a BUY), never an intent.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class LenientEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>The value given to a name or number that is not a member of <typeparamref name="TEnum"/>.</summary>
    public static readonly TEnum Unrecognised = (TEnum)Enum.ToObject(typeof(TEnum), -1);

    private static readonly Dictionary<string, TEnum> ByName = BuildNames();
    private static readonly Dictionary<TEnum, string> WireNames = Enum.GetValues<TEnum>().ToDictionary(v => v, WireName);

    /// <summary>The wire names of every member, for error messages.</summary>
    public static IReadOnlyCollection<string> Names => WireNames.Values;

    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString() ?? string.Empty;
                return ByName.TryGetValue(text, out var value) ? value : Unrecognised;
            default:
                reader.Skip();
                return Unrecognised;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        if (WireNames.TryGetValue(value, out var name))
        {
            writer.WriteStringValue(name);
        }
        else
        {
            writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads <paramref name="text"/> as a wire name (case-insensitive), as a message would be read.</summary>
    public static bool TryParse(string? text, out TEnum value) => ByName.TryGetValue(text ?? string.Empty, out value);

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string WireName(TEnum value)
    {
        var member = typeof(TEnum).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return member?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
    }

    private static Dictionary<string, TEnum> BuildNames()
    {
        var names = new Dictionary<string, TEnum>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in Enum.GetValues<TEnum>())
        {
            names[WireName(value)] = value;
        }

        return names;
    }
}

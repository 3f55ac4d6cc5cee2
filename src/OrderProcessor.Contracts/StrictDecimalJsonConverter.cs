using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OrderProcessor.Contracts;

/// <summary>
/// Reads a decimal exactly as the contract says: a JSON number, or a string matching <see cref="Pattern"/> (digits, one
/// optional leading minus, an optional point and digits; invariant). MassTransit's own converter parses strings with
/// thousands separators, exponents, spaces and a trailing sign (<c>"1,5"</c> became 15, <c>"5-"</c> became -5, <c>""</c>
/// became 0): on a trading wire a comma-decimal client's <c>"1,5"</c> would be a position ten times too big. Anything
/// else throws, so the command is refused with rule <c>type</c> naming the field. Writes as MassTransit does (an
/// invariant string), so what this codebase publishes and stores is unchanged byte for byte.
/// </summary>
public sealed partial class StrictDecimalJsonConverter : JsonConverter<decimal>
{
    /// <summary>The strings a decimal may be written as (the JSON Schema's <c>pattern</c> for a decimal string).</summary>
    public const string Pattern = @"^-?[0-9]+(\.[0-9]+)?$";

    /// <summary>
    /// Puts this converter first in <paramref name="options"/> (MassTransit's <c>ConfigureJsonSerializerOptions</c> hands
    /// over a fresh copy of its shared options); does nothing when it is already there.
    /// </summary>
    public static JsonSerializerOptions ReadStrictly(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Converters.Count == 0 || options.Converters[0] is not StrictDecimalJsonConverter)
        {
            options.Converters.Insert(0, new StrictDecimalJsonConverter());
        }

        return options;
    }

    /// <inheritdoc />
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDecimal(out var number):
                return number;
            case JsonTokenType.String:
                var text = reader.GetString() ?? string.Empty;
                if (Strict().IsMatch(text) && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException($"'{text}' is not a decimal: expected a JSON number or a string matching {Pattern}.");
            default:
                throw new JsonException($"A decimal must be a JSON number or a string matching {Pattern}, not {reader.TokenType}.");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Strict();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderProcessor.Brokerage.Ibkr.Json;

/// <summary>
/// A number IBKR sends as formatted text, e.g. <c>"1,977.60 USD (10 Shares)"</c>, <c>"116,965"</c>, <c>"-1"</c>:
/// the value, the currency when one follows it, and the original text.
/// </summary>
public sealed partial record FormattedNumber(decimal Value, string? Currency, string Text)
{
    public static bool TryParse(string? text, out FormattedNumber result)
    {
        result = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var digits = match.Groups["number"].Value.Replace(",", string.Empty, StringComparison.Ordinal);
        if (!decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var currency = match.Groups["currency"].Success ? match.Groups["currency"].Value : null;
        result = new FormattedNumber(value, currency, text);
        return true;
    }

    public static FormattedNumber? ParseOrNull(string? text) => TryParse(text, out var result) ? result : null;

    [GeneratedRegex(@"^\s*(?<number>[-+]?(\d[\d,]*)?(\.\d+)?)\s*(?<currency>[A-Z]{3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

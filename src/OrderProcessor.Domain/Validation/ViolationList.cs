using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Whether an order type takes a price field: it must carry it, it may, or it must not.</summary>
internal enum PriceUse
{
    NotAllowed,
    Optional,
    Required,
}

/// <summary>
/// The violations of one command as the validators collect them, with the checks every field family shares (ids,
/// enums, bounded decimals). Every message names its field, so a refusal can be read without the rule table.
/// </summary>
internal sealed class ViolationList : List<FieldViolation>
{
    public void Add(string field, string rule, string message) => Add(new FieldViolation(field, rule, message));

    public bool Has(string field, string rule) => this.Any(v => v.Field == field && v.Rule == rule);

    public static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", LenientEnumConverter<TEnum>.Names);

    public static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum => LenientEnumConverter<TEnum>.WireName(value);

    public void RequireId(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "required", $"{field} is required.");
        }
        else if (value.Length > OrderLimits.MaxIdLength)
        {
            Add(field, "max-length", $"{field} must be at most {OrderLimits.MaxIdLength} characters.");
        }
        else if (value.Any(char.IsControl) || value.Trim() != value)
        {
            Add(field, "printable", $"{field} must not contain control characters or surrounding spaces.");
        }
    }

    public void RequireEnum<TEnum>(string field, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            Add(field, "required", $"{field} is required: one of {Names<TEnum>()}.");
        }
        else
        {
            KnownEnum(field, value);
        }
    }

    /// <summary>An optional enum: absent is fine, a value read from an unknown name is not.</summary>
    public void KnownEnum<TEnum>(string field, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value is { } v && !Enum.IsDefined(v))
        {
            Add(field, "one-of", $"{field} is not recognised: expected one of {Names<TEnum>()}.");
        }
    }

    public void RequireNumber(string field, decimal? value, decimal max, int maxDecimals)
    {
        if (value is null)
        {
            Add(field, "required", $"{field} is required.");
        }
        else
        {
            CheckNumber(field, value.Value, max, maxDecimals);
        }
    }

    public void PriceFor(string field, decimal? value, PriceUse use, string orderType)
    {
        if (value is null)
        {
            if (use == PriceUse.Required)
            {
                Add(field, "required", $"{field} is required for {orderType} orders.");
            }
        }
        else if (use == PriceUse.NotAllowed)
        {
            Add(field, "not-allowed", $"{field} is not allowed for {orderType} orders.");
        }
        else
        {
            CheckNumber(field, value.Value, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals);
        }
    }

    /// <summary>Positive, within <paramref name="max"/>, at most <paramref name="maxDecimals"/> decimals (trailing zeros do not count).</summary>
    public bool CheckNumber(string field, decimal value, decimal max, int maxDecimals)
    {
        if (value <= 0)
        {
            Add(field, "positive", $"{field} must be greater than 0 (was {value}).");
        }
        else if (value > max)
        {
            Add(field, "max", $"{field} must be at most {max} (was {value}).");
        }
        else if (value.Scale > maxDecimals && decimal.Round(value, maxDecimals) != value)
        {
            Add(field, "max-decimals", $"{field} must have at most {maxDecimals} decimals (was {value}).");
        }
        else
        {
            return true;
        }

        return false;
    }
}

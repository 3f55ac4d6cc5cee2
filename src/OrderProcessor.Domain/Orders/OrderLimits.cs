namespace OrderProcessor.Orders;

/// <summary>The bounds a command's numbers must respect, checked before anything reaches IBKR.</summary>
public static class OrderLimits
{
    public const decimal MaxQuantity = 10_000_000m;
    public const int MaxQuantityDecimals = 4;
    public const decimal MaxPrice = 10_000_000m;
    public const int MaxPriceDecimals = 6;
    public const int MaxIdLength = 64;
    public const int MaxOcaOrders = 10;

    /// <summary>
    /// An identifier from a command as it may be stored and echoed back: one that breaks the length rule is cut to it
    /// (ending in "…"), so a hostile payload can neither overflow a column nor be mirrored whole into an event.
    /// </summary>
    public static string? Clip(string? value) =>
        value is { Length: > MaxIdLength } ? string.Concat(value.AsSpan(0, MaxIdLength - 1), "…") : value;
}

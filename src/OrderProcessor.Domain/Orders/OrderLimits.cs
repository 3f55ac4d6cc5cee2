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
    /// The largest cash amount one cash-quantity order may trade: the same bound as a quantity or a price, so a cash
    /// order is never the way round the limits (the risk controls' notional limit applies on top).
    /// </summary>
    public const decimal MaxCashQuantity = 10_000_000m;

    /// <summary>A cash quantity is an amount of currency: cents, no fractions of them.</summary>
    public const int MaxCashQuantityDecimals = 2;

    /// <summary>An exchange code as IBKR spells them (NASDAQ, CME, IDEALPRO, ARCAEDGE, ...).</summary>
    public const int MaxExchangeLength = 16;

    /// <summary>How many parameters an execution algo may carry: IBKR's algos take a handful; more is a mistake or an attack.</summary>
    public const int MaxAlgoParameters = 10;

    /// <summary>The length of an algo's strategy name, of a parameter's name and of its value.</summary>
    public const int MaxAlgoTextLength = 64;

    /// <summary>
    /// An identifier from a command as it may be stored and echoed back: one that breaks the length rule is cut to it
    /// (ending in "…"), so a hostile payload can neither overflow a column nor be mirrored whole into an event.
    /// </summary>
    public static string? Clip(string? value) =>
        value is { Length: > MaxIdLength } ? string.Concat(value.AsSpan(0, MaxIdLength - 1), "…") : value;
}

namespace OrderProcessor.Simulator.Rules;

/// <summary>
/// IBKR's precision for fractional and cash-quantity orders, as pure functions in decimal (never double): fractional
/// shares to 4 decimals; a cash quantity buys the units it can pay for, rounded DOWN to 0.0001 so the cost never
/// exceeds the cash.
/// </summary>
public static class FractionalQuantity
{
    /// <summary>How many decimals a fractional quantity has at most.</summary>
    public const int Decimals = 4;

    /// <summary>The smallest quantity step of a fractional order.</summary>
    public const decimal Step = 0.0001m;

    /// <summary>IBKR's default Cash Quantity Estimate Factor (25 %): the headroom a cash order's maximum size gets.</summary>
    public const decimal CashQuantityEstimateFactor = 0.25m;

    /// <summary>floor(<paramref name="cash"/> / <paramref name="price"/>) to 4 decimals: the units a cash amount buys at a price.</summary>
    public static decimal UnitsFor(decimal cash, decimal price)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        return cash <= 0 ? 0m : Math.Round(cash / price, Decimals, MidpointRounding.ToZero);
    }

    public static bool IsWhole(decimal quantity) => quantity == decimal.Truncate(quantity);

    public static bool HasAtMostFourDecimals(decimal quantity) => quantity == Math.Round(quantity, Decimals, MidpointRounding.ToZero);

    /// <summary>Whether a cash amount is whole cents (IBKR takes a currency amount to 2 decimals).</summary>
    public static bool IsCurrencyAmount(decimal cash) => cash == Math.Round(cash, 2, MidpointRounding.ToZero);
}

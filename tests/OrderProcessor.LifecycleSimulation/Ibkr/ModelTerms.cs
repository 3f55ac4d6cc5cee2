namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// What a ticket asks IBKR beyond its type, quantity and prices, as the model fills it: a cash quantity (converted into
/// fractional units at the order's execution price, rounded down to 0.0001), all-or-none (never a partial fill), MIDPRICE
/// (filled at the midpoint, half a cent above the bid). Read from the order's spec by cOID: the tickets of this branch do
/// not carry these fields yet (the guard's ticket gains them in Part P of issue 16; then the model reads the ticket).
/// </summary>
public sealed record ModelTerms(decimal? CashQuantity, bool AllOrNone, bool MidPrice, bool Fractional)
{
    public static readonly ModelTerms None = new(null, false, false, false);

    /// <summary>Terms that change how IBKR fills the order (its price, its parts).</summary>
    public bool Any => this != None;
}

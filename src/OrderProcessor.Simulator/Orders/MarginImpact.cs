using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// What one order would do to an account's equity, margins and position. <see cref="Amount"/> is the order's value:
/// price × quantity × multiplier, or the cash of a cash-quantity order.
/// </summary>
public sealed record MarginImpact(
    decimal Amount,
    string UnitName,
    decimal Price,
    decimal Quantity,
    decimal Commission,
    decimal EquityCurrent,
    decimal InitialCurrent,
    decimal InitialAfter,
    decimal MaintenanceCurrent,
    decimal MaintenanceAfter,
    decimal PositionCurrent,
    decimal PositionAfter)
{
    /// <summary>The currency of the amount: USD for every instrument of the catalog (EUR.USD is priced in USD).</summary>
    public string Currency => "USD";

    public decimal EquityAfter => EquityCurrent - Commission;

    /// <summary>Post-trade initial margin above equity with loan value: IBKR refuses the order.</summary>
    public bool ExceedsEquity => InitialAfter > EquityAfter;

    public string InsufficientEquityText() =>
        "YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE ["
        + EquityAfter.ToString("0.00", CultureInfo.InvariantCulture) + " USD] MUST EXCEED THE INITIAL MARGIN ["
        + InitialAfter.ToString("0.00", CultureInfo.InvariantCulture) + " USD]";
}

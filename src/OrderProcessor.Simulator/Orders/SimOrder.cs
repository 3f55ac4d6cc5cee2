using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Orders;

/// <summary>An order the simulator accepted. Mutable; read and change it only while holding the <see cref="OrderBook"/>'s gate.</summary>
public sealed class SimOrder
{
    public required long OrderId { get; init; }

    public required string UserId { get; init; }

    public required string AccountId { get; init; }

    public required int Conid { get; init; }

    public required string Side { get; init; }

    public required string OrderType { get; set; }

    /// <summary>
    /// The order's size in units (IBKR's <c>totalSize</c>). For a cash-quantity order: the units the unspent cash buys at
    /// the reference price on acceptance, recomputed at every fill's price, and equal to the filled quantity once filled.
    /// </summary>
    public required decimal Quantity { get; set; }

    /// <summary>The cash to spend (BUY) or collect (SELL), in the instrument's currency; null for a quantity order.</summary>
    public decimal? CashQty { get; init; }

    public bool IsCashQuantity => CashQty is not null;

    /// <summary>How this cash order ends once its cash is spent (the rule in force when it was accepted).</summary>
    public CashQuantityEnding CashEnding { get; init; }

    /// <summary>A cash order whose size is a fixed maximum and whose unfilled rest IBKR cancels once the cash is spent.</summary>
    public bool CancelsWhenCashSpent => IsCashQuantity && CashEnding == CashQuantityEnding.CancelledWhenSpent;

    /// <summary>The contract as the simulator's catalog knows it.</summary>
    public InstrumentSpec Instrument => InstrumentCatalog.Of(Conid);

    /// <summary>Where the order is routed: the ticket's listingExchange or conidex exchange, else SMART.</summary>
    public string Exchange { get; init; } = "SMART";

    public string? Strategy { get; set; }

    public IReadOnlyDictionary<string, string>? StrategyParameters { get; set; }

    public bool UseAdaptive { get; set; }

    public bool AllOrNone { get; set; }

    public bool? ManualIndicator { get; init; }

    public bool IsCcyConv { get; init; }

    public decimal? Price { get; set; }

    public decimal? AuxPrice { get; set; }

    public decimal? TrailingAmt { get; set; }

    public string? TrailingType { get; set; }

    public required string Tif { get; set; }

    public string? COID { get; init; }

    /// <summary>The parent's cOID, as the bracket child ticket named it.</summary>
    public string? ParentId { get; init; }

    public long? ParentOrderId { get; init; }

    public string? OcaGroup { get; init; }

    public required string Status { get; set; }

    public decimal FilledQuantity { get; set; }

    public decimal? AvgPrice { get; set; }

    /// <summary>When the order was registered (set on acceptance: a ticket held for its own question is accepted later).</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    public DateTimeOffset LastChangeAt { get; set; }

    /// <summary>When the order became final (filled, cancelled, inactive); null while it works.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Every fill, in order: trades list them one by one, each on its own day.</summary>
    public List<SimExecution> Executions { get; } = [];

    public DateTimeOffset? LastExecutionAt { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>A bracket child waits until its parent is filled.</summary>
    public bool AwaitingParent { get; set; }

    /// <summary>A stop-limit or trailing-limit order whose stop was hit now works as a limit order.</summary>
    public bool Triggered { get; set; }

    public decimal? TrailingStop { get; set; }

    public bool EvaluatedOnce { get; set; }

    public decimal Remaining => Quantity - FilledQuantity;

    /// <summary>Σ quantity × price of the executions: exact in decimal.</summary>
    public decimal FilledCashAmount => Executions.Sum(e => e.Quantity * e.Price);

    /// <summary>
    /// The units the order can still fill at <paramref name="price"/>: what remains for a quantity order; for a cash
    /// order, what the unspent cash buys at that price, rounded down to 0.0001 (so the cost never exceeds the cash).
    /// </summary>
    public decimal RemainingAt(decimal price)
    {
        if (CashQty is not { } cash)
            return Remaining;
        var units = FractionalQuantity.UnitsFor(cash - FilledCashAmount, price);
        return CancelsWhenCashSpent ? Math.Min(units, Remaining) : units;
    }

    public bool IsTerminal => OrderStatuses.IsTerminal(Status);

    /// <summary>Makes the order final with <paramref name="status"/> (Filled, Cancelled or Inactive) at <paramref name="at"/>.</summary>
    public void End(string status, DateTimeOffset at)
    {
        if (!OrderStatuses.IsTerminal(status))
            throw new ArgumentException($"{status} is not a final status", nameof(status));
        Status = status;
        CancelRequested = false;
        LastChangeAt = at;
        EndedAt = at;
    }
}

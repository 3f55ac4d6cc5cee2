using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// What one order asks IBKR to do, whichever command it came in: a PlaceOrder, one of its bracket legs or OCA members,
/// or a MarginCheck. Validation, the risk controls and the ticket sent to IBKR all read this one shape, so a field is
/// added once. The values are as the command gave them (nullable: validation reads them before anything is known to
/// be present); <see cref="Field"/> is the JSON path prefix of the order in its command (e.g. <c>ocaGroup.orders[1].</c>),
/// so a rule names the field as the sender spelled it.
/// </summary>
public sealed record TicketTerms
{
    /// <summary>The JSON path prefix of this order in its command: empty for the command's own order.</summary>
    public string Field { get; init; } = string.Empty;

    public int? Conid { get; init; }

    public OrderSide? Side { get; init; }

    public decimal? Quantity { get; init; }

    public decimal? CashQuantity { get; init; }

    public OrderType? OrderType { get; init; }

    public decimal? LimitPrice { get; init; }

    public decimal? StopPrice { get; init; }

    public decimal? TrailingAmount { get; init; }

    public TrailingUnit? TrailingUnit { get; init; }

    public TimeInForce? TimeInForce { get; init; }

    public bool OutsideRegularHours { get; init; }

    /// <summary>The asset class as the command gave it; <see cref="EffectiveSecurityType"/> is what IBKR is told.</summary>
    public SecurityType? SecurityType { get; init; }

    public string? ListingExchange { get; init; }

    public string? Conidex { get; init; }

    public ExecutionAlgo? Algo { get; init; }

    public bool UseAdaptive { get; init; }

    public bool AllOrNone { get; init; }

    public bool? ManualIndicator { get; init; }

    public bool CurrencyConversion { get; init; }

    /// <summary>A stock when the command left the security type out.</summary>
    public SecurityType EffectiveSecurityType => SecurityType ?? Contracts.SecurityType.Stock;

    /// <summary>The command's own order.</summary>
    public static TicketTerms Of(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new TicketTerms
        {
            Conid = command.Conid,
            Side = command.Side,
            Quantity = command.Quantity,
            CashQuantity = command.CashQuantity,
            OrderType = command.OrderType,
            LimitPrice = command.LimitPrice,
            StopPrice = command.StopPrice,
            TrailingAmount = command.TrailingAmount,
            TrailingUnit = command.TrailingUnit,
            TimeInForce = command.TimeInForce,
            OutsideRegularHours = command.OutsideRegularHours,
            SecurityType = command.SecurityType,
            ListingExchange = command.ListingExchange,
            Conidex = command.Conidex,
            Algo = command.Algo,
            UseAdaptive = command.UseAdaptive,
            AllOrNone = command.AllOrNone,
            ManualIndicator = command.ManualIndicator,
            CurrencyConversion = command.CurrencyConversion,
        };
    }

    /// <summary>The order a MarginCheck asks about (a what-if only: nothing is placed).</summary>
    public static TicketTerms Of(MarginCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new TicketTerms
        {
            Conid = check.Conid,
            Side = check.Side,
            Quantity = check.Quantity,
            CashQuantity = check.CashQuantity,
            OrderType = check.OrderType,
            LimitPrice = check.LimitPrice,
            StopPrice = check.StopPrice,
            TimeInForce = check.TimeInForce,
            SecurityType = check.SecurityType,
            ListingExchange = check.ListingExchange,
            Conidex = check.Conidex,
            Algo = check.Algo,
            UseAdaptive = check.UseAdaptive,
            AllOrNone = check.AllOrNone,
            ManualIndicator = check.ManualIndicator,
            CurrencyConversion = check.CurrencyConversion,
        };
    }

    /// <summary>
    /// An OCA member: its own instrument (or the group's), side, size and prices; it takes the placing order's time in
    /// force and trading hours, and its instrument details, route, manual indicator and currency conversion when it
    /// trades the same contract.
    /// </summary>
    public static TicketTerms Of(OrderLeg leg, PlaceOrder group, int index)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(group);
        var sameContract = leg.Conid is null || leg.Conid == group.Conid;
        return new TicketTerms
        {
            Field = $"ocaGroup.orders[{index}].",
            Conid = leg.Conid ?? group.Conid,
            Side = leg.Side,
            Quantity = leg.Quantity,
            OrderType = leg.OrderType,
            LimitPrice = leg.LimitPrice,
            StopPrice = leg.StopPrice,
            TrailingAmount = leg.TrailingAmount,
            TrailingUnit = leg.TrailingUnit,
            TimeInForce = group.TimeInForce,
            OutsideRegularHours = group.OutsideRegularHours,
            SecurityType = sameContract ? group.SecurityType : null,
            ListingExchange = sameContract ? group.ListingExchange : null,
            Conidex = sameContract ? group.Conidex : null,
            CurrencyConversion = sameContract && group.CurrencyConversion,

            // A member on another contract is judged as a stock (OrderLeg has no security type of its own), so it takes
            // none of the group's futures-only fields: IBKR answers for a member that is in fact a future.
            ManualIndicator = sameContract ? group.ManualIndicator : null,
        };
    }

    /// <summary>
    /// A bracket leg: the parent's instrument and size on the opposite side, a stop at the leg's price (stop-loss) or a
    /// limit at it (take-profit), with the parent's time in force and trading hours.
    /// </summary>
    public static TicketTerms Of(AttachedOrder leg, PlaceOrder parent, bool stopLoss)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentNullException.ThrowIfNull(parent);
        return new TicketTerms
        {
            Field = stopLoss ? "stopLoss." : "takeProfit.",
            Conid = parent.Conid,
            Side = parent.Side switch
            {
                OrderSide.Buy => OrderSide.Sell,
                OrderSide.Sell => OrderSide.Buy,
                var other => other,
            },
            Quantity = parent.Quantity,
            OrderType = stopLoss ? Contracts.OrderType.Stop : Contracts.OrderType.Limit,
            LimitPrice = stopLoss ? null : leg.Price,
            StopPrice = stopLoss ? leg.Price : null,
            TimeInForce = parent.TimeInForce,
            OutsideRegularHours = parent.OutsideRegularHours,
            SecurityType = parent.SecurityType,
            ListingExchange = parent.ListingExchange,
            Conidex = parent.Conidex,
            ManualIndicator = parent.ManualIndicator,

            // A conversion's exits convert too: without it a stop-loss would open the virtual forex position the parent avoids.
            CurrencyConversion = parent.CurrencyConversion,
        };
    }
}

using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The pre-trade risk controls that need IBKR's reference price (pure code), applied to the what-if of an order accepted
/// with <see cref="OrderSaga.ReferenceCheck"/>: the notional of a market or trailing-stop ticket (reference price ×
/// quantity) against its maximum, and the distance of a limit price from the reference price against the band. The
/// reference price is the what-if's order value (<c>amount.amount</c>) ÷ the leader's quantity, asked with the leader's
/// ticket at market (IBKR values a limit order at its own limit price); it is the price of the leader's contract, so only tickets on that
/// contract are checked against it (tickets on other contracts keep the static checks made at arrival).
/// </summary>
public static class ReferencePriceRules
{
    private const decimal MaxValueRounding = 0.005m;
    private const decimal MaxReferenceUncertainty = 0.001m;

    /// <summary>
    /// The first refusal among <paramref name="tickets"/> (the leader first), or null when each passes. Each ticket carries
    /// its own limits (snapshots taken at acceptance: <see cref="OrderSaga.RiskMaxNotional"/>,
    /// <see cref="OrderSaga.RiskPriceBandPercent"/>). Without an order value, a ticket that needs it is refused
    /// (<see cref="RejectionReasonCode.ReferencePriceUnavailable"/>) unless <paramref name="allowWithoutReference"/>.
    /// </summary>
    /// <remarks>
    /// A cash-quantity leader gives no reference price: its order value is its cash, whatever the price, and its units are
    /// not known. Its tickets that need one (a limit under a price band) are then treated as without an order value.
    /// </remarks>
    public static RiskVerdict? AgainstReference(IReadOnlyList<OrderSaga> tickets, decimal? amount, bool allowWithoutReference)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        if (tickets.Count == 0 || tickets[0] is not { Conid: { } conid } leader)
        {
            return null;
        }

        if (leader.CashQuantity is null && leader.Quantity is not > 0)
        {
            return null;
        }

        var reference = leader.CashQuantity is null && amount is { } value && value != 0 ? Math.Abs(value) / leader.Quantity!.Value : (decimal?)null;

        // IBKR values the what-if to the cent, so the price it implies is uncertain by up to 0.005 ÷ quantity: for 0.0003
        // units, ±16.67 (a 112 stock read as 100 let a limit outside its band through, lifecycle simulation seed 666).
        // A reference less precise than 0.1 % of itself is no reference.
        if (reference is { } implied && MaxValueRounding / leader.Quantity!.Value > implied * MaxReferenceUncertainty)
        {
            reference = null;
        }

        foreach (var ticket in tickets.Where(t => t.Conid == conid))
        {
            if (Check(ticket, reference, allowWithoutReference) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="ticket"/> needs a reference price under these limits (decides <see cref="OrderSaga.ReferenceCheck"/> at acceptance).</summary>
    public static bool Needs(RiskTicket ticket, decimal? maxNotionalForMarket, decimal? priceBandPercent)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        // A cash-quantity ticket's notional is its cash, checked on arrival: only its price band needs the reference.
        return (ticket.CashQuantity is null && IsMarketPriced(ticket.OrderType) && maxNotionalForMarket is not null)
            || (IsBanded(ticket.OrderType) && ticket.LimitPrice is not null && priceBandPercent is not null);
    }

    /// <summary>Market and trailing-stop orders have no price of their own: their notional is counted at the reference price.</summary>
    public static bool IsMarketPriced(OrderType type) => type is OrderType.Market or OrderType.TrailingStop;

    /// <summary>The price band applies to orders with a limit price that is a price (LMT, STOP_LIMIT), not a trailing offset.</summary>
    public static bool IsBanded(OrderType type) => type is OrderType.Limit or OrderType.StopLimit;

    private static RiskVerdict? Check(OrderSaga ticket, decimal? reference, bool allowWithoutReference)
    {
        if (ticket.OrderType is not { } type)
        {
            return null;
        }

        if (IsMarketPriced(type) && ticket.CashQuantity is null && ticket.Quantity is { } quantity && ticket.RiskMaxNotional is { } max)
        {
            if (reference is not { } price)
            {
                return allowWithoutReference ? null : Unavailable("the notional of a market order could not be checked");
            }

            var notional = price * quantity;
            return notional > max
                ? Refuse(RejectionReasonCode.MaxNotionalExceeded,
                    Invariant($"notional {notional:N2} (reference price {price:0.00##} × {quantity:0.####}, from IBKR's what-if) exceeds the maximum of {max:N0} per order"))
                : null;
        }

        if (IsBanded(type) && ticket.LimitPrice is { } limit && ticket.RiskPriceBandPercent is { } band)
        {
            if (reference is not { } price)
            {
                return allowWithoutReference ? null : Unavailable(ticket.CashQuantity is null
                    ? "the price band of a limit order could not be checked"
                    : "the price band of a cash-quantity limit order could not be checked (its order value is its cash, which gives no price)");
            }

            var distance = Math.Abs(limit - price) / price * 100m;
            return distance > band
                ? Refuse(RejectionReasonCode.OutsidePriceBand,
                    Invariant($"limit {limit:0.00##} is {distance:0.0} % from the reference price {price:0.00##} (band {band:0.##} %)"))
                : null;
        }

        return null;
    }

    private static RiskVerdict Unavailable(string what) =>
        Refuse(RejectionReasonCode.ReferencePriceUnavailable, $"IBKR's what-if gave no order value; {what}");

    private static RiskVerdict Refuse(RejectionReasonCode code, string reason) => new(code, reason, null, null, false);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

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

        // IBKR values the what-if to the cent, so the price it implies is only known to lie within ±0.005 ÷ quantity of
        // value ÷ quantity: for 0.0003 units, between 83 and 117 (a 112 stock read as exactly 100 once let a limit
        // outside its band through: lifecycle simulation seed 666). A control refuses only what it refuses at every
        // price of that range, passes what it passes at every one, and cannot tell otherwise.
        var reference = leader.CashQuantity is null && amount is { } value && value != 0
            ? new ReferenceRange(Math.Abs(value), leader.Quantity!.Value)
            : null;
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
        return (ticket.CashQuantity is null && IsMarketPriced(ticket.OrderType, ticket.LimitPrice) && maxNotionalForMarket is not null)
            || (IsBanded(ticket.OrderType, ticket.SecurityType) && ticket.LimitPrice is not null && priceBandPercent is not null);
    }

    /// <summary>
    /// Market and trailing-stop orders, and MIDPRICE without a cap, have no price of their own: their notional is counted
    /// at the reference price (a MIDPRICE order with a cap is counted at its cap on arrival, as a limit order).
    /// </summary>
    public static bool IsMarketPriced(OrderType type, decimal? limitPrice) =>
        type is OrderType.Market or OrderType.TrailingStop || (type == OrderType.MidPrice && limitPrice is null);

    /// <summary>
    /// The price band applies to orders with a limit price that is a price (LMT, STOP_LIMIT, MIDPRICE's cap), not a
    /// trailing offset, of stocks and currencies: IBKR's what-if values a future or an option with its multiplier, which
    /// this service does not know, so its reference price is not a price per unit to compare a limit with.
    /// </summary>
    public static bool IsBanded(OrderType type, SecurityType securityType) =>
        type is OrderType.Limit or OrderType.StopLimit or OrderType.MidPrice && securityType is SecurityType.Stock or SecurityType.Currency;

    private static RiskVerdict? Check(OrderSaga ticket, ReferenceRange? reference, bool allowWithoutReference)
    {
        if (ticket.OrderType is not { } type)
        {
            return null;
        }

        if (IsMarketPriced(type, ticket.LimitPrice) && ticket.CashQuantity is null && ticket.Quantity is { } quantity && ticket.RiskMaxNotional is { } max)
        {
            if (reference is not { } range)
            {
                return allowWithoutReference ? null : Unavailable("the notional of a market order could not be checked");
            }

            var (least, most) = (range.Low * quantity, range.High * quantity);
            if (least > max)
            {
                return Refuse(RejectionReasonCode.MaxNotionalExceeded,
                    Invariant($"notional {range.Price * quantity:N2} (reference price {range.Price:0.00##} × {quantity:0.####}, from IBKR's what-if) exceeds the maximum of {max:N0} per order"));
            }

            return most <= max || allowWithoutReference
                ? null
                : Unavailable(Invariant($"the notional of a market order could not be checked: IBKR's what-if, valued to the cent, puts it between {least:N2} and {most:N2} around the maximum of {max:N0}"));
        }

        if (IsBanded(type, ticket.SecurityType ?? SecurityType.Stock) && ticket.LimitPrice is { } limit && ticket.RiskPriceBandPercent is { } band)
        {
            if (reference is not { } range)
            {
                return allowWithoutReference ? null : Unavailable(ticket.CashQuantity is null
                    ? "the price band of a limit order could not be checked"
                    : "the price band of a cash-quantity limit order could not be checked (its order value is its cash, which gives no price)");
            }

            var (nearest, farthest) = range.DistancePercent(limit);
            if (nearest > band)
            {
                return Refuse(RejectionReasonCode.OutsidePriceBand,
                    Invariant($"limit {limit:0.00##} is {Distance(limit, range.Price):0.0} % from the reference price {range.Price:0.00##} (band {band:0.##} %)"));
            }

            return farthest <= band || allowWithoutReference
                ? null
                : Unavailable(Invariant($"the price band of a limit order could not be checked: IBKR's what-if, valued to the cent, puts the reference price between {range.Low:0.00##} and {range.High:0.00##}, and limit {limit:0.00##} is within {band:0.##} % of some of it only"));
        }

        return null;
    }

    private static decimal Distance(decimal limit, decimal price) => Math.Abs(limit - price) / price * 100m;

    /// <summary>The prices an order value rounded to the cent allows for its quantity of units.</summary>
    private sealed record ReferenceRange(decimal Value, decimal Quantity)
    {
        private const decimal ValueRounding = 0.005m;

        public decimal Price => Value / Quantity;

        public decimal Low => Math.Max(0m, Value - ValueRounding) / Quantity;

        public decimal High => (Value + ValueRounding) / Quantity;

        /// <summary>The least and the most a limit can be from a price of the range, in percent (the most unbounded near 0).</summary>
        public (decimal Nearest, decimal Farthest) DistancePercent(decimal limit)
        {
            var atHigh = Distance(limit, High);
            var atLow = Low > 0 ? Distance(limit, Low) : decimal.MaxValue;
            var nearest = limit >= Low && limit <= High ? 0m : Math.Min(atLow, atHigh);
            return (nearest, Math.Max(atLow, atHigh));
        }
    }

    private static RiskVerdict Unavailable(string what) =>
        Refuse(RejectionReasonCode.ReferencePriceUnavailable, $"IBKR's what-if gave no order value; {what}");

    private static RiskVerdict Refuse(RejectionReasonCode code, string reason) => new(code, reason, null, null, false);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

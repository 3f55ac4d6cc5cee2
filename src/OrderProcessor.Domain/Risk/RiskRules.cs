using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The pre-trade risk controls that need nothing but the order and the limit (pure code): the largest quantity and the
/// largest notional of one ticket. Each refusal names the limit; a null limit is off.
/// </summary>
public static class RiskRules
{
    /// <summary>
    /// Refuses the first ticket whose quantity is above <paramref name="maxQuantity"/>. A cash-quantity ticket is not
    /// checked: its units are IBKR's to decide as it fills (cash ÷ the fill price), no price is known when it arrives, and
    /// its size is bounded exactly by the maximum notional instead (<see cref="Notional"/>: its cash is its notional).
    /// </summary>
    public static RiskVerdict? Quantity(IReadOnlyList<RiskTicket> tickets, decimal? maxQuantity, string? accountId)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        if (maxQuantity is not { } max || tickets.FirstOrDefault(t => t.CashQuantity is null && t.Quantity > max) is not { } ticket)
        {
            return null;
        }

        return Refuse(RejectionReasonCode.MaxQuantityExceeded,
            Invariant($"quantity {ticket.Quantity:0.####} exceeds the maximum of {max:0.####} per order (account {accountId})"));
    }

    /// <summary>
    /// Refuses the first ticket whose arrival price × quantity is above <paramref name="maxNotional"/> (in the contract's
    /// currency, no multiplier), or whose cash quantity is, for a cash-quantity ticket of any order type. Tickets without a
    /// price of their own (market, MIDPRICE, trailing stop) and a quantity are not checked here.
    /// </summary>
    public static RiskVerdict? Notional(IReadOnlyList<RiskTicket> tickets, decimal? maxNotional)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        if (maxNotional is not { } max)
        {
            return null;
        }

        foreach (var ticket in tickets)
        {
            if (ticket.CashQuantity is { } cash && cash > max)
            {
                return Refuse(RejectionReasonCode.MaxNotionalExceeded,
                    Invariant($"notional {cash:N2} (the cash quantity) exceeds the maximum of {max:N0} per order"));
            }

            if (ticket.CashQuantity is null && ticket.ArrivalPrice is { } price && Math.Abs(price) * ticket.Quantity is var notional && notional > max)
            {
                var kind = ticket.OrderType == OrderType.Stop ? "stop" : "limit";
                return Refuse(RejectionReasonCode.MaxNotionalExceeded,
                    Invariant($"notional {notional:N2} ({kind} {price:0.00##} × {ticket.Quantity:0.####}) exceeds the maximum of {max:N0} per order"));
            }
        }

        return null;
    }

    private static RiskVerdict Refuse(RejectionReasonCode code, string reason) => new(code, reason, null, null, false);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

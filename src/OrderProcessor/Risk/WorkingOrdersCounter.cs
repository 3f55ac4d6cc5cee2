using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// IBKR's "20 active orders per contract, side and account", counted before anything is sent: the account's orders of
/// the contract and side that are not final (ours not yet sent included: stricter than IBKR, blind to other platforms'
/// orders), plus the tickets of this PlaceOrder. Uses the partial index <c>ix_orders_working_by_contract</c>.
/// </summary>
public static class WorkingOrdersCounter
{
    /// <summary>The statuses of <c>ix_orders_working_by_contract</c>'s filter.</summary>
    private static readonly OrderStatus[] Working =
    [
        OrderStatus.Received, OrderStatus.MarginChecking, OrderStatus.MarginApproved, OrderStatus.Held, OrderStatus.Submitting,
        OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel, OrderStatus.NeedsAttention,
    ];

    public static async Task<RiskVerdict?> CheckAsync(OrderProcessorDbContext db, string accountId, IReadOnlyList<RiskTicket> tickets, int? max,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tickets);
        if (max is not { } limit)
        {
            return null;
        }

        foreach (var group in tickets.GroupBy(t => (t.Conid, t.Side)))
        {
            var (conid, side) = group.Key;
            var working = await db.Orders.AsNoTracking()
                .CountAsync(o => o.AccountId == accountId && o.Conid == conid && o.Side == side && Working.Contains(o.Status), cancellationToken);
            if (working + group.Count() > limit)
            {
                var sideName = side == OrderSide.Buy ? "BUY" : "SELL";
                return new RiskVerdict(RejectionReasonCode.MaxWorkingOrdersExceeded,
                    string.Create(CultureInfo.InvariantCulture,
                        $"account {accountId} already has {working} working {sideName} orders for conid {conid} (maximum {limit})"),
                    null, null, false);
            }
        }

        return null;
    }
}

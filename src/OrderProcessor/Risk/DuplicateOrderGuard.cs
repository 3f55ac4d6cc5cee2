using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// A probable duplicate: an order (not a bracket leg) of the same account, contract, side, quantity (or cash quantity: two
/// cash orders of different amounts are not duplicates), order type, limit and stop price accepted within the window and not rejected. A command with <c>intended: true</c> is never one. Uses
/// <c>ix_orders_recent_by_account</c>.
/// </summary>
public static class DuplicateOrderGuard
{
    public static async Task<RiskVerdict?> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, TimeSpan window, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(command);
        if (window <= TimeSpan.Zero || command.Intended)
        {
            return null;
        }

        var since = now - window;
        var earlier = await db.Orders.AsNoTracking()
            .Where(o => o.AccountId == command.AccountId && o.CreatedAt >= since && o.OrderId != command.OrderId && o.ParentOrderId == null
                && o.Conid == command.Conid && o.Side == command.Side && o.Quantity == command.Quantity && o.CashQuantity == command.CashQuantity && o.OrderType == command.OrderType
                && o.LimitPrice == command.LimitPrice && o.StopPrice == command.StopPrice && o.Status != OrderStatus.Rejected)
            .OrderByDescending(o => o.CreatedAt)
            .Select(o => new { o.OrderId, o.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        var ago = Math.Max(0, (now - earlier.CreatedAt).TotalSeconds);
        return new RiskVerdict(RejectionReasonCode.ProbableDuplicate,
            string.Create(CultureInfo.InvariantCulture,
                $"same account, contract, side, quantity (or cash quantity) and price as order {earlier.OrderId} accepted {ago:0.#} s ago (window {window.TotalSeconds:0.#} s); set intended=true to place it anyway"),
            null, null, false);
    }
}

using System.Linq.Expressions;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>
/// What the cancel sweep of a halt decides (<see cref="HaltCancelSweeper"/> runs it on PostgreSQL, the lifecycle simulation
/// on its in-memory table): which orders of the scope it asks to cancel, in what order, and the cancel of each.
/// </summary>
public static class HaltSweep
{
    /// <summary>Orders asked to cancel per pass (the rest follow in the next pass).</summary>
    public const int BatchSize = 200;

    /// <summary>
    /// The halts swept on every pass: each one made with cancel working, for as long as it is active, not only until its
    /// first sweep is done. An order of the scope can be working again after that: one an operator had (NeedsAttention)
    /// that IBKR lists as working again, or a send whose lost answer turns out accepted. (The lifecycle simulation found
    /// the first of these still working at IBKR under a cancel-working halt.)
    /// </summary>
    public static readonly Expression<Func<TradingHaltRow, bool>> ToSweep = h => h.CancelWorking && h.ResumedAt == null;

    /// <summary>How the reason of every cancel a halt asks for begins.</summary>
    public const string CancelReasonPrefix = "halt ";

    /// <summary>
    /// The reason of the cancels a halt asks for; it stays on an order as its cancel reason, so an order a halt already
    /// asked to cancel, whose cancel IBKR refused (it had filled meanwhile), is not asked again on every pass, by this
    /// halt or another one covering it (two halts would otherwise take turns asking).
    /// </summary>
    public static string CancelReasonOf(Guid haltId, string reason) => $"{CancelReasonPrefix}{haltId}: {reason}";

    /// <summary>
    /// The ids of the next orders to cancel: not final, not already asked to cancel (now, or by a halt before), not handed to an operator; leaders
    /// first (a leader's cancel takes its legs and members with it), then by arrival.
    /// </summary>
    public static IQueryable<Guid> Batch(IQueryable<OrderSaga> orders, HaltView halt)
    {
        ArgumentNullException.ThrowIfNull(halt);
        return HaltScopeOrders.NotFinal(orders, halt.Scope, halt.ScopeKey, halt.ScopeKey)
            .Where(o => !o.CancelRequested && o.Status != OrderStatus.NeedsAttention && (o.CancelReason == null || !o.CancelReason.StartsWith(CancelReasonPrefix)))
            .OrderBy(o => o.SubmittedWithOrderId != null).ThenBy(o => o.CreatedAt).ThenBy(o => o.OrderId)
            .Select(o => o.OrderId).Take(BatchSize);
    }

    /// <summary>A batch shorter than <see cref="BatchSize"/> was the last: the halt is swept.</summary>
    public static bool IsLast(int batch) => batch < BatchSize;

    /// <summary>Whether the order, read again under its lock, is still to be cancelled by the sweep.</summary>
    public static bool StillToCancel(OrderSaga order, TradingHaltRow halt)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(halt);
        return !order.CancelRequested && !OrderLifecycle.IsFinal(order.Status) && order.Status != OrderStatus.NeedsAttention
            && order.CancelReason?.StartsWith(CancelReasonPrefix, StringComparison.Ordinal) != true;
    }

    /// <summary>The cancel of <paramref name="order"/> (and the orders sent with it) through the state machine, as a CancelOrder would.</summary>
    public static OrderDecision Cancel(OrderSaga order, IReadOnlyList<OrderSaga> carried, TradingHaltRow halt, DateTimeOffset now, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(carried);
        ArgumentNullException.ThrowIfNull(halt);
        var command = new CancelOrder { OrderId = order.OrderId, UserId = order.UserId, Reason = CancelReasonOf(halt.HaltId, halt.Reason) };
        var stamp = EventStamp.Create(now, order.CorrelationId, halt.HaltId);
        return OrderLifecycle.Apply([order, .. carried], new CancelRequested(command), stamp, settings);
    }
}

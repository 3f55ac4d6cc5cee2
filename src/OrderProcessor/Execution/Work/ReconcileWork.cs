using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Looks for a submission group whose send had an unknown outcome: its cOIDs in the live orders, and, since those list
/// only what ended in the current brokerage session, in the trades since it was first sent. The live orders come from a
/// read shared with the user's poll and other reconciles, but always one that began after this work was claimed, so
/// after the send it looks for had ended (<see cref="SharedLiveOrders"/>); the trades likewise (<see cref="SharedTrades"/>).
/// </summary>
public sealed partial class ReconcileWork(SharedLiveOrders liveOrders, SharedTrades sharedTrades, WorkResults results, TimeProvider timeProvider, ILogger<ReconcileWork> logger) : IBrokerWork
{
    public OrderWork Kind => OrderWork.Reconcile;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var sending = work.Group.Where(o => o.Status == OrderStatus.Submitting).ToList();
        var clientOrderIds = sending.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        OrderInput outcome;
        try
        {
            var found = OutcomeTranslator.Observations(await liveOrders.ReadAsync(work.UserId, cancellationToken), clientOrderIds);
            if (found.Count == 0)
            {
                // Live orders list only this session's ended orders: one that filled in an earlier session is in the trades.
                var days = TradeDays.Covering(work.Leader.FirstSentAt ?? work.Leader.CreatedAt, timeProvider.GetUtcNow());
                var trades = await sharedTrades.ReadAsync(work.UserId, days.Days, cancellationToken);
                foreach (var observation in OutcomeTranslator.FromTrades(trades, sending.ToDictionary(o => o.ClientOrderId, o => o.Quantity, StringComparer.Ordinal)))
                {
                    found[observation.ClientOrderId] = observation;
                }
            }

            LogReconciled(work.LeaderId, found.Count);
            outcome = new ReconcileRead(work.Token, found);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? new ReadFailed(work.Token, OutcomeTranslator.ReadFailure(exception));
        }

        await results.ApplyAsync(work, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciling order {OrderId}: {Found} of its orders found at IBKR")]
    private partial void LogReconciled(Guid orderId, int found);
}

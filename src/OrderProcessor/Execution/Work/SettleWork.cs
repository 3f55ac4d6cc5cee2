using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Finds out how an order IBKR no longer lists ended: the executions of its cOID in the trades since it was first sent
/// (IBKR's order status endpoint answers 503 for orders of an earlier session, so the trades are what is left). The
/// read is shared with the user's other settlements and reconciles of the same days (<see cref="SharedTrades"/>).
/// </summary>
public sealed class SettleWork(SharedTrades trades, WorkResults results, TimeProvider timeProvider) : IBrokerWork
{
    public OrderWork Kind => OrderWork.Settle;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        OrderInput outcome;
        try
        {
            var days = TradeDays.Covering(order.FirstSentAt ?? order.CreatedAt, timeProvider.GetUtcNow());
            var read = await trades.ReadAsync(work.UserId, days.Days, cancellationToken);
            var executions = OutcomeTranslator.Executions(read, order.ClientOrderId);
            outcome = new SettleRead(work.Token, executions.Filled, executions.AveragePrice, executions.BrokerOrderId, days.CoversIt);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? new ReadFailed(work.Token, OutcomeTranslator.ReadFailure(exception));
        }

        await results.ApplyAsync(work, outcome);
    }
}

using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>Sends a modification: IBKR wants the whole ticket, with the changes applied.</summary>
public sealed class ModifyWork(IBrokerageGateway gateway, WorkResults results) : IBrokerWork
{
    public OrderWork Kind => OrderWork.Modify;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        var change = PendingModification.Of(order);
        if (change is null || order.BrokerOrderId is null)
        {
            await results.ApplyAsync(work, new ModifyNotSent(work.Token, new CallFailure("Nothing", "no modification is pending", Retryable: false)));
            return;
        }

        OrderInput outcome;
        try
        {
            var result = await gateway.ModifyOrderAsync(work.UserId, work.AccountId, order.BrokerOrderId, TicketMapper.For(order, change), cancellationToken);
            outcome = OutcomeTranslator.Modification(work.Token, result, change);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? OutcomeTranslator.ModificationFailure(work.Token, exception);
        }

        await results.ApplyAsync(work, outcome);
    }
}

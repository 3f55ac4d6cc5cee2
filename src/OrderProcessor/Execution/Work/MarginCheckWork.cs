using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Runs IBKR's what-if for an order whose PlaceOrder asked for a margin policy or whose risk controls need IBKR's reference
/// price (a read: safe to repeat).
/// </summary>
public sealed class MarginCheckWork(IBrokerageGateway gateway, WorkResults results) : IBrokerWork
{
    public OrderWork Kind => OrderWork.CheckMargin;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var tickets = TicketMapper.ForWhatIf(work.Group.Where(o => !OrderLifecycle.IsFinal(o.Status)).ToList());
        OrderInput outcome;
        try
        {
            outcome = new MarginChecked(work.Token, OutcomeTranslator.Figures(await gateway.WhatIfAsync(work.UserId, work.AccountId, tickets, cancellationToken)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? new ReadFailed(work.Token, OutcomeTranslator.ReadFailure(exception));
        }

        await results.ApplyAsync(work, outcome);
    }
}

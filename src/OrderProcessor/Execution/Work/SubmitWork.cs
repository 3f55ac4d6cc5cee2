using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Sends a submission group (an order, or a bracket or OCA group in one request). The claim committed the group as
/// Submitting before this runs; whatever happens to the call, the result or the lease's reconciliation settles it.
/// </summary>
public sealed partial class SubmitWork(IBrokerageGateway gateway, AccountDirectory accounts, WorkResults results, ILogger<SubmitWork> logger) : IBrokerWork
{
    public OrderWork Kind => OrderWork.Submit;

    public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var sending = work.Group.Where(o => o.Status == OrderStatus.Submitting).ToList();
        OrderInput outcome;
        results.Sending(work, sending);
        try
        {
            outcome = await accounts.OwnsAsync(work.UserId, work.AccountId, cancellationToken)
                ? OutcomeTranslator.Submission(work.Token,
                    await gateway.PlaceOrderAsync(work.UserId, work.AccountId, TicketMapper.ForGroup(sending), cancellationToken), sending)
                : new SubmissionRejected(work.Token, RejectionReasonCode.UnknownAccount,
                    $"account {work.AccountId} does not belong to user {work.UserId} at IBKR.", []);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = (OrderInput?)OutcomeTranslator.Unavailable(work.Token, work.Work, exception) ?? OutcomeTranslator.SubmissionFailure(work.Token, exception);
        }

        LogSubmitted(work.LeaderId, work.UserId, outcome.GetType().Name);
        await results.ApplyAsync(work, outcome);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} of user {UserId} sent to IBKR: {Outcome}")]
    private partial void LogSubmitted(Guid orderId, string userId, string outcome);
}

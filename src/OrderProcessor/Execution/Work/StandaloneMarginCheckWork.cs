using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Runs a standalone MarginCheck's what-if on the instance that holds the user's IBKR session and answers it once:
/// MarginCheckCompleted, or OrderRejected (an account the user does not own, or IBKR unreachable after the last attempt).
/// </summary>
public sealed class StandaloneMarginCheckWork(IBrokerageGateway gateway, AccountDirectory accounts, IMarginCheckQueue queue, LifecycleSettings settings,
    TimeProvider timeProvider)
{
    public async Task RunAsync(MarginCheckRequest request, Guid token, long epoch, CancellationToken cancellationToken)
    {
        var check = StandaloneMarginCheck.CommandOf(request);
        Func<MarginCheckRequest, EventStamp, OrderDecision?> answer;
        try
        {
            if (!await accounts.OwnsAsync(request.UserId, request.AccountId, cancellationToken))
            {
                answer = (r, stamp) => StandaloneMarginCheck.Refused(r, token, RejectionReasonCode.UnknownAccount,
                    $"account {r.AccountId} does not belong to user {r.UserId} at IBKR.", stamp);
            }
            else
            {
                var figures = OutcomeTranslator.Figures(await gateway.WhatIfAsync(request.UserId, request.AccountId, [TicketMapper.For(check)], cancellationToken));
                answer = (r, stamp) => StandaloneMarginCheck.Answered(r, token, figures, stamp);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = OutcomeTranslator.ReadFailure(exception);
            answer = (r, stamp) => StandaloneMarginCheck.Failed(r, token, failure, stamp, settings);
        }

        await queue.UpdateAsync(request.CheckId, epoch, r =>
        {
            var now = timeProvider.GetUtcNow();
            return answer(r, EventStamp.Create(now, r.CorrelationId, r.MessageId));
        }, CancellationToken.None);
    }
}

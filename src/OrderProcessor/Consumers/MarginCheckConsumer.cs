using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Takes a standalone MarginCheck: an invalid one is answered at once with OrderRejected naming the fields; a valid one
/// is kept as work (<see cref="MarginCheckRequest"/>) that the instance holding the user's IBKR session runs and answers
/// through the outbox (also as the response when the check came as a MassTransit request). The consumer never calls IBKR.
/// </summary>
public sealed class MarginCheckConsumer(ConsumerUnitOfWork unitOfWork, IMarginCheckQueue queue, BrokerWorkSignal workSignal) : IConsumer<MarginCheck>
{
    public async Task Consume(ConsumeContext<MarginCheck> context)
    {
        var check = context.Message;
        var gate = new CommandGate(nameof(MarginCheck),
            (_, _) => Task.FromResult(new UpstreamSubject(check.UserId, check.AccountId)),
            (code, reason, violations, stamp) => CommandRefusal.Of(check.CheckId, nameof(MarginCheck), check.UserId, check.AccountId, code, reason, violations, stamp)
                .RespondTo(context.ResponseAddress, context.RequestId));
        await unitOfWork.RunAsync(context, nameof(MarginCheckConsumer), gate, async (db, stamp) =>
        {
            var violations = StandaloneMarginCheck.Validate(check);
            if (violations.Count > 0)
            {
                return StandaloneMarginCheck.Refused(check, RejectionReasonCode.ValidationFailed, string.Join(" ", violations.Select(v => v.Message)), violations, stamp)
                    .RespondTo(context.ResponseAddress, context.RequestId);
            }

            // The same check id again (a re-sent request) is answered once, by the request already kept.
            if (!await db.MarginChecks.AnyAsync(m => m.CheckId == check.CheckId, context.CancellationToken))
            {
                db.MarginChecks.Add(StandaloneMarginCheck.Request(check, stamp, context.ResponseAddress, context.RequestId, System.Diagnostics.Activity.Current?.Id));
            }

            return new OrderDecision();
        });

        // After the commit, so the worker's next claim finds the check (the queue looks for due checks only when told, or
        // every Lifecycle:MarginCheckPollInterval). The unit of work has woken the worker already, but before this call:
        // that turn may have passed the queue by, so this wake-up is the one that finds the check.
        queue.Expect();
        workSignal.Notify();
    }
}

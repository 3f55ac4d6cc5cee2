using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Execution;
using OrderProcessor.Inbox;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Consumers;

/// <summary>
/// What every command consumer does around its decision: the inbox check, the saga change and its outbox events in one
/// transaction, then waking the relay and the broker worker.
/// </summary>
public sealed class ConsumerUnitOfWork(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    OutboxSignal outboxSignal,
    BrokerWorkSignal workSignal,
    Telemetry.OrderProcessorMetrics metrics,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Runs <paramref name="decide"/> once per message id; returns its decision, or null for a repeated delivery. With
    /// <paramref name="orderIds"/>, the unit of work holds a transaction-scoped lock on each of those order ids from the
    /// first read to the commit, so two commands about one order (a PlaceOrder and a CancelOrder that overtook it, on
    /// different queues) are decided one after the other, never on two stale reads.
    /// </summary>
    public async Task<OrderDecision?> RunAsync<TMessage>(ConsumeContext<TMessage> context, string consumer,
        Func<OrderProcessorDbContext, EventStamp, Task<OrderDecision>> decide, IReadOnlyCollection<Guid>? orderIds = null)
        where TMessage : class
    {
        var cancellationToken = context.CancellationToken;
        var messageId = context.MessageId ?? Guid.Parse(CommandFingerprint.Of(context.Message).AsSpan(0, 32));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var orderId in (orderIds ?? []).Where(id => id != Guid.Empty).Distinct().Order())
        {
            // In a stable order, so two units of work locking overlapping ids cannot deadlock.
            var key = orderId.ToString();
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        if (!await MessageInbox.TryAcceptAsync(db, messageId, consumer, now, cancellationToken))
        {
            return null;
        }

        var stamp = EventStamp.Create(now, context.CorrelationId ?? context.ConversationId ?? messageId, messageId);
        var decision = await decide(db, stamp);
        foreach (var order in decision.Created)
        {
            order.TraceParent = System.Diagnostics.Activity.Current?.Id;
        }

        db.Orders.AddRange(decision.Created);
        OutboxWriter.Append(db, decision);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.EventsWritten(decision);
        if (decision.Events.Count > 0)
        {
            outboxSignal.Notify();
        }

        workSignal.Notify();
        return decision;
    }
}

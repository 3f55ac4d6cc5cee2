using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Inbox;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Consumers;

/// <summary>
/// Records a PlaceOrder: the inbox row, the new order sagas and their events are written in one transaction; the
/// relay publishes the events after the commit.
/// </summary>
public sealed class PlaceOrderConsumer(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    OutboxSignal outboxSignal,
    TimeProvider timeProvider,
    ILogger<PlaceOrderConsumer> logger) : IConsumer<PlaceOrder>
{
    public async Task Consume(ConsumeContext<PlaceOrder> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        var fingerprint = CommandFingerprint.Of(command);
        var messageId = context.MessageId ?? Guid.Parse(fingerprint.AsSpan(0, 32));

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        if (!await MessageInbox.TryAcceptAsync(db, messageId, nameof(PlaceOrderConsumer), now, cancellationToken))
        {
            logger.LogInformation("PlaceOrder {MessageId} for order {OrderId} was already processed; acknowledged without effect",
                messageId, command.OrderId);
            return;
        }

        var ids = OrderIdsNamedBy(command);
        var existing = await db.Orders.Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, cancellationToken);
        var stamp = EventStamp.Create(now, context.CorrelationId ?? context.ConversationId ?? messageId, messageId);
        var decision = OrderTransitions.Place(command, fingerprint, existing, stamp);

        db.Orders.AddRange(decision.Created);
        OutboxWriter.Append(db, decision);
        await db.SaveChangesAsync(cancellationToken);
        if (decision.Events.Count > 0)
        {
            outboxSignal.Notify();
        }

        LogOutcome(command, decision);
    }

    private static List<Guid> OrderIdsNamedBy(PlaceOrder command)
    {
        var ids = new List<Guid> { command.OrderId };
        if (command.StopLoss is { } stopLoss)
        {
            ids.Add(stopLoss.OrderId);
        }

        if (command.TakeProfit is { } takeProfit)
        {
            ids.Add(takeProfit.OrderId);
        }

        ids.AddRange((command.OcaGroup?.Orders ?? []).Where(o => o is not null).Select(o => o.OrderId));
        return ids;
    }

    private void LogOutcome(PlaceOrder command, OrderDecision decision)
    {
        var rejected = decision.Events.Select(e => e.Event).OfType<OrderRejected>().FirstOrDefault();
        if (rejected is not null)
        {
            logger.LogWarning("PlaceOrder for order {OrderId} rejected ({ReasonCode}): {Reason}",
                command.OrderId, rejected.ReasonCode, rejected.Reason);
        }
        else if (decision.IsEmpty)
        {
            logger.LogInformation("PlaceOrder for order {OrderId} repeats an order already recorded; no effect", command.OrderId);
        }
        else
        {
            logger.LogInformation("Order {OrderId} accepted with {OrderCount} order(s) for user {UserId}",
                command.OrderId, decision.Created.Count, command.UserId);
        }
    }
}

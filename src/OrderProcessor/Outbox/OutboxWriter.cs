using System.Text.Json;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>
/// Turns a decision's events into outbox rows in the caller's unit of work: nothing leaves the processor except
/// through these rows and the relay. The rows are armed on the context and inserted by its next save, in one statement
/// at the end of its first command (<see cref="Persistence.OutboxInsertInterceptor"/>).
/// </summary>
public static class OutboxWriter
{
    public static void Append(OrderProcessorDbContext db, OrderDecision decision)
    {
        foreach (var (order, orderEvent) in decision.Events)
        {
            var row = new OutboxMessage
            {
                MessageId = Guid.CreateVersion7(orderEvent.OccurredAt),
                OrderId = orderEvent.OrderId,
                OrderSequence = orderEvent.Sequence,
                MessageType = OrderEventTypes.NameOf(orderEvent),
                Body = JsonSerializer.Serialize(orderEvent, orderEvent.GetType(), ContractJson.Options),
                CorrelationId = orderEvent.CorrelationId,
                CausationId = orderEvent.CausationId,
                CreatedAt = orderEvent.OccurredAt,
                PreviousHash = order?.LastEventHash,
                ResponseAddress = decision.Response?.Address.ToString(),
                TraceParent = order?.TraceParent ?? System.Diagnostics.Activity.Current?.Id,
                RequestId = decision.Response?.RequestId,
            };
            row.Hash = OutboxHash.Compute(row);
            if (order is not null)
            {
                order.LastEventHash = row.Hash;
            }

            db.ArmOutboxRow(row);
        }
    }
}

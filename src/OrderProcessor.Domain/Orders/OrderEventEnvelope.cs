using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Fills in what every order event carries, so transitions only write what is particular to each event.</summary>
internal static class OrderEventEnvelope
{
    public static IOrderEvent Stamp(IOrderEvent orderEvent, Guid orderId, long sequence, EventStamp stamp) => orderEvent switch
    {
        OrderAccepted e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderRejected e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        MarginCheckCompleted e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderSubmitted e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderStatusChanged e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderPartiallyFilled e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderFilled e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderCancelled e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderFailed e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderModified e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        OrderHeld e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        TradingHalted e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        TradingResumed e => e with { OrderId = orderId, Sequence = sequence, OccurredAt = stamp.At, CorrelationId = stamp.CorrelationId, CausationId = stamp.CausationId },
        _ => throw new ArgumentOutOfRangeException(nameof(orderEvent), orderEvent.GetType().Name, "not an order event of this service"),
    };
}

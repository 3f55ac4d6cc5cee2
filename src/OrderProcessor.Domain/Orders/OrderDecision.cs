using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// What a transition decided: orders to insert, orders changed in place, and the events to write to the outbox, each
/// with the order whose chain it extends (<c>null</c> for a rejection of a command that named no usable order).
/// </summary>
public sealed class OrderDecision
{
    private readonly List<OrderSaga> _created = [];
    private readonly List<(OrderSaga? Order, IOrderEvent Event)> _events = [];
    private readonly List<string> _rules = [];

    /// <summary>A decision with no effect (a new instance each time: decisions record the rules applied to them).</summary>
    public static OrderDecision Nothing => new();

    public IReadOnlyList<OrderSaga> Created => _created;

    public IReadOnlyList<(OrderSaga? Order, IOrderEvent Event)> Events => _events;

    public bool IsEmpty => _created.Count == 0 && _events.Count == 0;

    /// <summary>For a command sent as a request: where its events also go as responses.</summary>
    public (Uri Address, Guid RequestId)? Response { get; private set; }

    /// <summary>The rules of the transition table that made this decision, in order (for logs, traces and coverage).</summary>
    public IReadOnlyList<string> Rules => _rules;

    public OrderDecision RespondTo(Uri? address, Guid? requestId)
    {
        Response = address is not null && requestId is { } id ? (address, id) : null;
        return this;
    }

    internal OrderDecision Create(OrderSaga order)
    {
        _created.Add(order);
        return this;
    }

    internal OrderDecision Emit(OrderSaga? order, IOrderEvent orderEvent)
    {
        _events.Add((order, orderEvent));
        return this;
    }

    /// <summary>Emits an event as the order's next one: its sequence, time and causation filled in.</summary>
    internal OrderDecision Emit(OrderSaga order, EventStamp stamp, IOrderEvent orderEvent)
    {
        order.UpdatedAt = stamp.At;
        return Emit(order, OrderEventEnvelope.Stamp(orderEvent, order.OrderId, ++order.LastEventSequence, stamp));
    }

    /// <summary>Merges another decision's effects into this one.</summary>
    public OrderDecision Include(OrderDecision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _created.AddRange(other._created);
        _events.AddRange(other._events);
        _rules.AddRange(other._rules);
        return this;
    }

    internal void Applied(string rule) => _rules.Add(rule);
}

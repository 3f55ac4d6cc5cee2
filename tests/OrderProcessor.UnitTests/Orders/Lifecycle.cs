using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Builds orders in a given lifecycle state through the real transitions.</summary>
internal static class Lifecycle
{
    public static readonly LifecycleSettings Settings = new();
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 14, 30, 0, TimeSpan.Zero);
    private static int _tick;

    public static EventStamp Stamp() => EventStamp.Create(Start.AddSeconds(Interlocked.Increment(ref _tick)), Guid.NewGuid(), Guid.NewGuid());

    public static List<OrderSaga> Accepted(PlaceOrder? command = null)
    {
        var decision = OrderTransitions.Place(command ?? When_a_place_order_is_validated.Valid(), "fp", new Dictionary<Guid, OrderSaga>(), Stamp());
        return [.. decision.Created];
    }

    public static List<OrderSaga> Submitting(PlaceOrder? command = null)
    {
        var group = Accepted(command);
        OrderTransitions.BeginSubmission(group, Stamp().At, Settings);
        return group;
    }

    public static List<OrderSaga> Submitted(PlaceOrder? command = null)
    {
        var group = Submitting(command);
        OrderTransitions.CompleteSubmission(group, Accept(group), Stamp(), Settings);
        return group;
    }

    public static OrderSaga Working()
    {
        var order = Submitted()[0];
        OrderTransitions.Observe(order, Seen(order, "Submitted"), Stamp());
        return order;
    }

    public static SubmissionAccepted Accept(IEnumerable<OrderSaga> group) =>
        new(group.Select((o, i) => (o.ClientOrderId, i)).ToDictionary(x => x.ClientOrderId, x => ($"{1000 + x.i}", (string?)"PreSubmitted")));

    public static BrokerOrderObservation Seen(OrderSaga order, string status, decimal filled = 0, decimal? average = null) =>
        new(order.ClientOrderId, order.BrokerOrderId ?? "1000", status, filled, (order.Quantity ?? 0) - filled, average);

    public static List<T> Events<T>(OrderDecision decision) => decision.Events.Select(e => e.Event).OfType<T>().ToList();
}

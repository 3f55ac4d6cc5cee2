using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Builds orders in a given lifecycle state through the real state machine, and applies inputs to them.</summary>
internal static class Lifecycle
{
    // The stamps' clock is shared by every test class running in parallel (some jump hours ahead): the bound on waiting
    // from an order's arrival is lifted here and tested with its real value where it is the subject.
    public static readonly LifecycleSettings Settings = new() { MaxWaitBeforeSend = TimeSpan.FromDays(3650) };
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 14, 30, 0, TimeSpan.Zero);
    private static int _tick;

    /// <summary>A stamp one second after the previous one.</summary>
    public static EventStamp Stamp() => EventStamp.Create(Start.AddSeconds(Interlocked.Increment(ref _tick)), Guid.NewGuid(), Guid.NewGuid());

    /// <summary>A stamp <paramref name="later"/> after the previous one.</summary>
    public static EventStamp StampAfter(TimeSpan later) =>
        EventStamp.Create(Start.AddSeconds(Interlocked.Add(ref _tick, (int)Math.Ceiling(later.TotalSeconds))), Guid.NewGuid(), Guid.NewGuid());

    /// <summary>A valid limit order with a stop-loss and a take-profit leg.</summary>
    public static PlaceOrder Bracket() => When_a_place_order_is_validated.Valid() with
    {
        StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 },
        TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110 },
    };

    public static List<OrderSaga> Accepted(PlaceOrder? command = null)
    {
        var decision = OrderPlacement.Place(command ?? When_a_place_order_is_validated.Valid(), "fp", new Dictionary<Guid, OrderSaga>(), Stamp());
        return [.. decision.Created.Where(o => o.SubmittedWithOrderId is null), .. decision.Created.Where(o => o.SubmittedWithOrderId is not null).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal)];
    }

    /// <summary>A worker claims the leader's due work; returns the token and the work to run (None when the claim decided it).</summary>
    public static (Guid Token, OrderWork Work, OrderDecision Decision) Claim(IReadOnlyList<OrderSaga> group, EventStamp? stamp = null)
    {
        var token = Guid.NewGuid();
        var (work, decision) = OrderLifecycle.Claim(group, token, stamp ?? Stamp(), Settings);
        return (token, work, decision);
    }

    public static (Guid Token, List<OrderSaga> Group) Submitting(PlaceOrder? command = null)
    {
        var group = Accepted(command);
        var (token, work, _) = Claim(group);
        Assert.Equal(OrderWork.Submit, work);
        return (token, group);
    }

    public static List<OrderSaga> Submitted(PlaceOrder? command = null)
    {
        var (token, group) = Submitting(command);
        Apply(group, Accept(token, group));
        return group;
    }

    public static OrderSaga Working()
    {
        var order = Submitted()[0];
        Observe(order, "Submitted");
        return order;
    }

    public static OrderDecision Apply(IReadOnlyList<OrderSaga> group, OrderInput input, EventStamp? stamp = null) =>
        OrderLifecycle.Apply(group, input, stamp ?? Stamp(), Settings);

    public static OrderDecision Observe(OrderSaga order, string status, decimal filled = 0, decimal? average = null) =>
        Apply([order], new Observed(Seen(order, status, filled, average)));

    public static OrderDecision Cancel(IReadOnlyList<OrderSaga> group, string user = "alice", string reason = "client asked") =>
        Apply(group, new CancelRequested(new CancelOrder { OrderId = group[0].OrderId, UserId = user, Reason = reason }));

    public static SubmissionAccepted Accept(Guid token, IEnumerable<OrderSaga> group) =>
        new(token, group.Select((o, i) => (o.ClientOrderId, i)).ToDictionary(x => x.ClientOrderId, x => new BrokerTicket($"{1000 + x.i}", BrokerOrderState.PreSubmitted)),
            new Dictionary<string, TicketRefusal>());

    public static BrokerOrderObservation Seen(OrderSaga order, string status, decimal filled = 0, decimal? average = null) =>
        new(order.ClientOrderId, order.BrokerOrderId ?? "1000", BrokerOrderStates.Parse(status), filled, (order.Quantity ?? 0) - filled, average);

    public static ReconcileRead Absent(Guid token) => new(token, new Dictionary<string, BrokerOrderObservation>());

    public static List<T> Events<T>(OrderDecision decision) => decision.Events.Select(e => e.Event).OfType<T>().ToList();

    public static List<string> EventNames(OrderDecision decision) => [.. decision.Events.Select(e => e.Event.GetType().Name)];

    public static CallFailure Transient(string reason = "connection refused") => new("TransientBeforeSend", reason, Retryable: true);
}

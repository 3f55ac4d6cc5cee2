using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Checks;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// A scripted schedule with IBKR's websocket: one order of alice's, the real processor code (intake, schedule, poll,
/// work) against the IBKR model on the simulation's clock and thread. Steps are run as the world runs them.
/// </summary>
internal sealed class StreamScript : IDisposable
{
    private readonly SynchronizationContext? _previous = SynchronizationContext.Current;

    public StreamScript(OrderShape shape = OrderShape.Market, TimeInForce timeInForce = TimeInForce.Day, Func<OrderSpec, OrderSpec>? terms = null)
    {
        Spec = new OrderSpec(0, shape, timeInForce, MarginCheckPolicy.None, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Spec = terms?.Invoke(Spec) ?? Spec;
        World = new SimWorld([Spec], ScheduleRun.Options(), new IbkrRulesOfTheModel { FirstLiveOrdersCallEmpty = false, MaxListingLag = TimeSpan.Zero });
        SynchronizationContext.SetSynchronizationContext(World.Continuations);
    }

    public OrderSpec Spec { get; }

    public SimWorld World { get; }

    public ModelOrder AtIbkr => Assert.Single(World.Model.Ledger);

    public OrderSaga Saga => World.Db.Read(Spec.OrderId)!;

    public ModelStream Socket => World.Model.Streams["alice"];

    public int LiveOrderReads => World.Model.CallsByKind.GetValueOrDefault("live-orders");

    /// <summary>The order's fill events so far: (event, cumulative filled).</summary>
    public List<(string Event, decimal Filled)> Fills => [.. World.Db.Events.Where(e => e.OrderId == Spec.OrderId).Select(e => e.Event switch
    {
        OrderPartiallyFilled p => (nameof(OrderPartiallyFilled), p.FilledQuantity),
        OrderFilled f => (nameof(OrderFilled), f.FilledQuantity),
        _ => (string.Empty, 0m),
    }).Where(f => f.Item1.Length > 0)];

    public void Run(params SimAction[] steps)
    {
        foreach (var step in steps)
        {
            World.Run(step);
        }
    }

    /// <summary>Answers the pending IBKR call of the given kind (the oldest).</summary>
    public void Answer(string kind, CallMode mode = CallMode.Answer)
    {
        var index = World.Model.Pending.ToList().FindIndex(c => c.Kind == kind);
        Assert.True(index >= 0, $"no pending {kind} call; pending: {string.Join(", ", World.Model.Pending)}");
        World.Run(new Resolve(index, mode, 50));
    }

    /// <summary>The order is placed (PlaceOrder consumed, the send claimed, accounts and place answered as <paramref name="place"/>).</summary>
    public void Place(CallMode place = CallMode.Answer, bool connectFirst = false)
    {
        Run(new SendPlace(0), new Consume(0, 0), new Claim(0, 8));
        Answer("accounts");
        if (connectFirst)
        {
            Connect();
        }

        Answer("place", place);
    }

    /// <summary>Process 0's guard opens alice's socket; the read before subscribing is answered: streaming.</summary>
    public void Connect()
    {
        Run(new StreamConnect(0, 0));
        Answer("live-orders");
        Assert.Equal(Brokerage.Streaming.OrderStreamState.Streaming, World.Processes[0].Streams.StateOf("alice"));
    }

    /// <summary>The market fills the order: all of what is left, or part of it.</summary>
    public void Fill(bool partly = false)
    {
        var order = AtIbkr;
        var variant = Enumerable.Range(0, 100_000).First(v =>
        {
            var roll = (int)(IbkrModel.StableHash(v.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + order.BrokerOrderId) % 100);
            var marketable = order.Ticket.OrderType == Brokerage.Gateway.BrokerOrderType.Market;
            return partly ? (marketable ? roll is >= 70 and < 85 : roll is >= 8 and < 16) : (marketable ? roll < 70 : roll < 8);
        });
        var before = order.Filled;
        World.Run(new Tick(variant));
        Assert.True(order.Filled > before, "the tick filled nothing");
    }

    /// <summary>The exchange cancels the (resting limit) order.</summary>
    public void EndAtTheExchange()
    {
        var order = AtIbkr;
        var variant = Enumerable.Range(0, 100_000).First(v =>
            IbkrModel.StableHash(v.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + order.BrokerOrderId) % 100 == 99);
        World.Run(new Tick(variant));
        Assert.False(order.IsWorking);
    }

    /// <summary>Delivers the queued frames, each time the one at <paramref name="pick"/> of the queue.</summary>
    public void DeliverAll(Func<int, int>? pick = null)
    {
        while (World.Model.Streams.TryGetValue("alice", out var socket) && socket.Pending.Count > 0)
        {
            World.Run(new StreamDeliver(0, pick?.Invoke(socket.Pending.Count) ?? 0));
        }
    }

    public List<string> Violations() => Invariants.Check(World);

    public void Dispose() => SynchronizationContext.SetSynchronizationContext(_previous);
}

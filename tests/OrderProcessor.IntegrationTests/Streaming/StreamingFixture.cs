using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// A processor whose guard opens each followed user's IBKR websocket on the in-process simulator. The market moves only
/// when a test ticks it or fills an order. Times are shortened so a stalled socket is noticed in 2 s, and with a healthy
/// socket a user's live orders are read every 5 s (the safety interval's floor) instead of every 250 ms.
/// </summary>
public class StreamingFixture : ProcessorFixture
{
    public static readonly TimeSpan SafetyPollInterval = TimeSpan.FromSeconds(5);

    protected override bool Streaming => true;

    protected override Dictionary<string, string?> SimulatorSettings => new()
    {
        ["Simulator:AutomaticMarketTicks"] = "false",
        ["Simulator:Stream:HeartbeatInterval"] = "00:00:00.500",
    };

    protected override Dictionary<string, string?> ProcessorSettings => new()
    {
        ["Lifecycle:SafetyPollInterval"] = "00:00:05",
        ["Brokerage:Stream:HeartbeatTimeout"] = "00:00:02",
        // A success frame lost to a stall is given up on quickly (the default waits 10 s).
        ["Brokerage:Stream:SuccessTimeout"] = "00:00:02",
        ["Brokerage:Stream:ReconnectBaseDelay"] = "00:00:00.200",
        ["Brokerage:Stream:ReconnectMaxDelay"] = "00:00:01",
        ["Brokerage:Ibkr:Compete"] = "true",
    };

    public OrderStreamState StateOf(string userId) => Processor.Services.GetRequiredService<IOrderStreams>().StateOf(userId);

    /// <summary>Waits until the guard reports the user Streaming and the simulator has the user subscribed to sor and str.</summary>
    public async Task WaitStreamingAsync(string userId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (StateOf(userId) == OrderStreamState.Streaming
                && Simulator.Control.Stream().Users.TryGetValue(userId, out var user) && user.OrdersSubscribed > 0 && user.ExecutionsSubscribed > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{userId} is {StateOf(userId)}, not streaming.");
    }

    /// <summary>Waits until the guard reports the user in a state other than Streaming; answers the state seen.</summary>
    public async Task<OrderStreamState> WaitNotStreamingAsync(string userId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var state = StateOf(userId);
            if (state != OrderStreamState.Streaming)
            {
                return state;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{userId} still streaming after {timeout}.");
    }

    /// <summary>The user's live-order reads (<c>GET /iserver/account/orders</c>) the simulator answered since <paramref name="since"/>.</summary>
    public int LiveOrderReads(string userId, DateTimeOffset since) =>
        Simulator.Control.Requests().Count(r => r.UserId == userId && r.At >= since && r.Method == "GET"
            && r.Path.EndsWith("/iserver/account/orders", StringComparison.Ordinal));

    /// <summary>The cumulative filled quantities of the order's fill events, each event once (by sequence), in sequence.</summary>
    public IReadOnlyList<decimal> FillEvents(Guid orderId) =>
        Downstream.For(orderId).Select(e => e.Event).DistinctBy(e => e.Sequence).OrderBy(e => e.Sequence)
            .Select(e => e switch { OrderPartiallyFilled p => p.FilledQuantity, OrderFilled f => f.FilledQuantity, _ => -1m })
            .Where(q => q >= 0).ToList();

    /// <summary>The order's events as "sequence:name(filled)", for the output of a failing comparison.</summary>
    public string Describe(Guid orderId) => string.Join(", ", Downstream.For(orderId).Select(e => e.Event).DistinctBy(e => e.Sequence).Select(e => e switch
    {
        OrderPartiallyFilled p => $"{p.Sequence}:PartiallyFilled({p.FilledQuantity})",
        OrderFilled f => $"{f.Sequence}:Filled({f.FilledQuantity})",
        OrderStatusChanged c => $"{c.Sequence}:{c.Status}",
        _ => $"{e.Sequence}:{e.GetType().Name}",
    }));

    /// <summary>Places a resting buy limit below the pinned price (never fills by itself) and waits until it is Working and the user streams.</summary>
    public async Task<PlaceOrder> PlaceRestingAsync(string userId, int conid, decimal quantity)
    {
        Simulator.Control.PinPrice(conid, 100m);
        var command = TestOrders.Limit(userId, quantity, limitPrice: 99m) with { AccountId = SimulatorUnderTest.Accounts[userId], Conid = conid };
        await Downstream.Publisher.Publish(command);
        await this.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        await WaitStreamingAsync(userId);
        return command;
    }

    public static string KeyOf(PlaceOrder command) => $"op-{command.OrderId:N}";
}

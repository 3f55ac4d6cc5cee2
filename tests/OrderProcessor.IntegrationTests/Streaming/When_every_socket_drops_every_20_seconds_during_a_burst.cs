using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// The benchmark's chaos phase, made short: every socket dropped every 2 s (20 s in the benchmark) while 200 orders fill
/// across five users (market orders filled on accept, market orders of 250 filled in slices of 100 over the engine's
/// ticks, marketable limits). Then each order's fill events against the simulator's ledger: none missed, none counted
/// twice, every order final.
/// </summary>
public sealed class When_every_socket_drops_every_20_seconds_during_a_burst(When_every_socket_drops_every_20_seconds_during_a_burst.Fixture fixture,
    ITestOutputHelper output) : IClassFixture<When_every_socket_drops_every_20_seconds_during_a_burst.Fixture>
{
    private const int Orders = 200;
    private static readonly TimeSpan DropEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(6);

    public sealed class Fixture : StreamingFixture
    {
        protected override Dictionary<string, string?> SimulatorSettings => new()
        {
            ["Simulator:FillMarketOrdersOnAccept"] = "true",
            ["Simulator:Stream:HeartbeatInterval"] = "00:00:00.500",
        };
    }

    [Fact]
    public async Task Should_miss_no_fill_count_none_twice_and_end_every_order()
    {
        var users = SimulatorUnderTest.Accounts.Keys.ToList();
        fixture.Simulator.Control.PinPrice(7601, 100m);
        foreach (var user in users)
        {
            await fixture.PlaceRestingAsync(user, 7602, quantity: 1); // every user streams before the burst
        }

        var drops = fixture.Simulator.Control.Stream().Drops;
        var orders = Enumerable.Range(0, Orders).Select(i => Ticket(i, users[i % users.Count])).ToList();
        fixture.Simulator.Control.DropStreamsEvery(DropEvery);
        try
        {
            var started = DateTime.UtcNow;
            for (var i = 0; i < orders.Count; i++)
            {
                var wait = started + (Spread * i / orders.Count) - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                await fixture.Downstream.Publisher.Publish(orders[i]);
            }

            foreach (var order in orders)
            {
                await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            fixture.Simulator.Control.DropStreamsEvery(null);
        }

        var dropped = fixture.Simulator.Control.Stream().Drops - drops;
        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        var ledger = fixture.Simulator.Control.Ledger().Where(l => l.COID is not null).ToDictionary(l => l.COID!, l => l.FilledQuantity);
        int missed = 0, twice = 0;
        var examples = new List<string>();
        foreach (var order in orders)
        {
            var fills = fixture.FillEvents(order.OrderId);
            var atIbkr = ledger[StreamingFixture.KeyOf(order)];
            var reported = fills.Count == 0 ? 0m : fills.Max();
            var repeated = fills.Zip(fills.Skip(1)).Any(p => p.Second <= p.First) || reported > atIbkr;
            twice += repeated ? 1 : 0;
            missed += reported < atIbkr ? 1 : 0;
            if ((repeated || reported < atIbkr) && examples.Count < 5)
            {
                examples.Add($"{order.OrderType} {order.Quantity} (IBKR filled {atIbkr}): {fixture.Describe(order.OrderId)}");
            }
        }

        foreach (var example in examples)
        {
            output.WriteLine(example);
        }

        var partials = orders.Sum(o => fixture.Downstream.For(o.OrderId).Select(e => e.Event).OfType<OrderPartiallyFilled>().DistinctBy(e => e.Sequence).Count());
        output.WriteLine($"{Orders} orders over {Spread.TotalSeconds:F0} s, every socket dropped every {DropEvery.TotalSeconds:F0} s ({dropped} sockets dropped): " +
            $"{missed} fills missed, {twice} counted twice, all final; {partials} partial-fill events");

        // The precondition: the burst met drops. A drop tick finds only the sockets that are open; on a loaded run the
        // reopened ones come back slowly (one CI run counted 9 drops for 5 users, 3 ticks), so as many drops as users.
        Assert.True(dropped >= users.Count, $"only {dropped} sockets were dropped during the burst");
        Assert.Equal(0, missed);
        Assert.Equal(0, twice);
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }

    private static PlaceOrder Ticket(int i, string user)
    {
        var order = TestOrders.Market(user, quantity: 1) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = 7601 };
        return (i % 4) switch
        {
            1 => order with { Quantity = 250 },
            2 => order with { OrderType = OrderType.Limit, LimitPrice = 101m },
            _ => order,
        };
    }
}

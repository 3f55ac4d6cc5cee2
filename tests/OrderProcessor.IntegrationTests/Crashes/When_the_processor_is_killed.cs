using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Crashes;

/// <summary>
/// The deployable processor, run as a child process, is killed with SIGKILL at random moments of a burst and started
/// again each time: whatever it was doing (consuming, between Submitting and IBKR's answer, publishing from the outbox),
/// no order is lost and none is placed twice.
/// </summary>
public sealed class When_the_processor_is_killed(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Lifecycle:WorkLease"] = "00:00:03",
        ["Brokerage:Timeouts:Attempt"] = "00:00:01.200",
        ["Brokerage:Timeouts:Total"] = "00:00:01.200",
        ["Lifecycle:UserLeaseDuration"] = "00:00:03",

        // A restarted (or second) process opens a brokerage session of its own, which its predecessor's blocks unless it
        // competes: IBKR allows one session per username.
        ["Brokerage:Ibkr:Compete"] = "true",

        // A restarted process has no memory of its predecessor's last live-orders call, so IBKR may answer 429 once:
        // back off briefly, as the test's shortened pacing is.
        ["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:00.200",
        ["Brokerage:Pacing:MaxBackoff"] = "00:00:02",
    };

    private readonly IsolatedServers _servers = new();
    private SimulatorUnderTest _simulator = null!;
    private DownstreamSubscriber _downstream = null!;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _simulator = new SimulatorUnderTest(overTcp: true);
        _downstream = await DownstreamSubscriber.StartAsync(_servers);
    }

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_across_repeated_kills_during_a_burst()
    {
        var orders = MixedBurst(9301);

        var processor = await ProcessorProcess.StartAsync(_servers, _simulator, Settings);
        var kills = 0;
        try
        {
            var publishing = PublishInBatchesAsync(orders);

            var random = new Random(20261124);
            for (var i = 0; i < 3; i++)
            {
                // Each new process opens a new IBKR session, whose live orders no longer list what ended in the killed
                // one: those fills come back from the trades.
                await Task.Delay(random.Next(800, 2200));
                processor.Kill();
                kills++;
                await processor.DisposeAsync();
                processor = await ProcessorProcess.StartAsync(_servers, _simulator, Settings);
            }

            await publishing;
            try
            {
                await WaitUntilAllFilledAsync(orders.Select(o => o.OrderId).ToList());
            }
            catch (Exception)
            {
                foreach (var line in processor.Output.TakeLast(60))
                {
                    output.WriteLine(line);
                }

                throw;
            }

            await WaitUntilOutboxPublishedAsync();
            await Task.Delay(1000);
        }
        finally
        {
            await processor.DisposeAsync();
        }

        var outcome = await BurstOutcome.MeasureAsync(_servers, _simulator, _downstream, orders.Select(o => o.OrderId).ToList());
        output.WriteLine($"{outcome}; kills {kills} (SIGKILL)");
        Assert.Equal((500, 500, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
        Assert.Equal(3, kills);
    }

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_when_one_of_two_instances_is_killed_again_and_again()
    {
        var orders = MixedBurst(9302);

        var steady = await ProcessorProcess.StartAsync(_servers, _simulator, Settings);
        var victim = await ProcessorProcess.StartAsync(_servers, _simulator, Settings);
        var kills = 0;
        try
        {
            var publishing = PublishInBatchesAsync(orders);

            var random = new Random(20261125);
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(random.Next(800, 2200));
                victim.Kill();
                kills++;
                await victim.DisposeAsync();
                victim = await ProcessorProcess.StartAsync(_servers, _simulator, Settings);
            }

            await publishing;
            await WaitUntilAllFilledAsync(orders.Select(o => o.OrderId).ToList());
            await WaitUntilOutboxPublishedAsync();
            await Task.Delay(1000);
        }
        finally
        {
            await victim.DisposeAsync();
            await steady.DisposeAsync();
        }

        var outcome = await BurstOutcome.MeasureAsync(_servers, _simulator, _downstream, orders.Select(o => o.OrderId).ToList());
        output.WriteLine($"{outcome}; two instances, one killed {kills} times (SIGKILL)");
        Assert.Equal((500, 500, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
    }

    /// <summary>500 orders over five users: market orders, and every fourth a marketable limit order.</summary>
    private List<PlaceOrder> MixedBurst(int conid)
    {
        _simulator.Control.PinPrice(conid, 100m);
        return Enumerable.Range(0, 500).Select(i =>
        {
            var user = Users[i % Users.Length];
            var order = TestOrders.Market(userId: user, quantity: 1 + (i % 5)) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = conid };
            return i % 4 == 0 ? order with { OrderType = OrderType.Limit, LimitPrice = 100.5m } : order;
        }).ToList();
    }

    private Task PublishInBatchesAsync(List<PlaceOrder> orders) => Task.Run(async () =>
    {
        foreach (var batch in orders.Chunk(25))
        {
            await Task.WhenAll(batch.Select(o => _downstream.Publisher.Publish(o)));
            await Task.Delay(300);
        }
    });

    private async Task WaitUntilAllFilledAsync(List<Guid> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var filled = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = _servers.CreateDbContext();
            filled = await db.Orders.CountAsync(o => ids.Contains(o.OrderId) && o.Status == OrderStatus.Filled);
            if (filled == ids.Count)
            {
                return;
            }

            await Task.Delay(250);
        }

        await using (var db = _servers.CreateDbContext())
        {
            var stuck = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId) && o.Status != OrderStatus.Filled).ToListAsync();
            var ledger = _simulator.Control.Ledger();
            foreach (var order in stuck.Take(8))
            {
                var entry = ledger.FirstOrDefault(l => l.COID == order.ClientOrderId);
                output.WriteLine($"stuck {order.OrderId} {order.UserId} {order.Status} work {order.WorkDue} at {order.WorkDueAt:HH:mm:ss.fff} attempts {order.WorkAttempts} " +
                    $"misses {order.ReconcileMisses} reason {order.LastReason}; ledger {entry?.Status ?? "none"} {entry?.FilledQuantity}");
            }

            output.WriteLine(string.Join(", ", stuck.GroupBy(o => o.Status).Select(g => $"{g.Key} {g.Count()}")));
            var leases = await db.UserSessionLeases.AsNoTracking().ToListAsync();
            output.WriteLine(string.Join(", ", leases.Select(l => $"{l.UserId}:{l.Owner[..12]} until {l.ExpiresAt:HH:mm:ss}")));
        }

        Assert.Fail($"{filled} of {ids.Count} orders filled after the kills");
    }

    private async Task WaitUntilOutboxPublishedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = _servers.CreateDbContext();
            if (!await db.Outbox.AnyAsync(o => o.PublishedAt == null))
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await _downstream.DisposeAsync();
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
    }
}

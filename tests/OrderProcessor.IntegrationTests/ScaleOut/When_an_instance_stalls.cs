using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.ScaleOut;

/// <summary>
/// Two processors as child processes; one is stalled (SIGSTOP) for longer than its leases, then resumed, while orders
/// keep coming. A stalled instance does not know its leases passed: fencing must keep it from talking to its users'
/// sessions once it resumes, and from writing what it had under way.
/// </summary>
public sealed class When_an_instance_stalls(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];
    private readonly IsolatedServers _servers = new();
    private SimulatorUnderTest _simulator = null!;
    private DownstreamSubscriber _downstream = null!;

    private static Dictionary<string, string?> Settings(string instance) => new()
    {
        ["Lifecycle:InstanceId"] = instance,
        ["Lifecycle:WorkLease"] = "00:00:03",
        ["Lifecycle:UserLeaseDuration"] = "00:00:03",
        ["Brokerage:Timeouts:Attempt"] = "00:00:01.200",
        ["Brokerage:Timeouts:Total"] = "00:00:01.200",

        // Each process opens its own session for a user it takes over (IBKR allows one per username).
        ["Brokerage:Ibkr:Compete"] = "true",
    };

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _simulator = new SimulatorUnderTest(overTcp: true);
        _downstream = await DownstreamSubscriber.StartAsync(_servers);
    }

    [Fact]
    public async Task Should_never_let_two_instances_talk_to_one_users_session_and_lose_or_duplicate_nothing()
    {
        _simulator.Control.PinPrice(9401, 100m);
        var orders = Enumerable.Range(0, 200).Select(i => TestOrders.Market(userId: Users[i % Users.Length], quantity: 1 + (i % 3)) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9401,
        }).ToList();

        var stalled = await ProcessorProcess.StartAsync(_servers, _simulator, Settings("instance-a"));
        var steady = await ProcessorProcess.StartAsync(_servers, _simulator, Settings("instance-b"));
        try
        {
            var publishing = Task.Run(async () =>
            {
                foreach (var batch in orders.Chunk(10))
                {
                    await Task.WhenAll(batch.Select(o => _downstream.Publisher.Publish(o)));
                    await Task.Delay(400);
                }
            });

            await Task.Delay(2500);
            stalled.Pause();
            await Task.Delay(8000); // more than two leases
            stalled.Resume();
            await publishing;
            await WaitUntilAllFilledAsync([.. orders.Select(o => o.OrderId)]);
            await Task.Delay(1500);
        }
        finally
        {
            await stalled.DisposeAsync();
            await steady.DisposeAsync();
        }

        // Which process talked to each user's session, in time order: a handover is fine, a handover back is not.
        var calls = _simulator.Control.Requests()
            .Where(r => r.UserId is not null && r.Caller is not null && r.Path.StartsWith("/v1/api/", StringComparison.Ordinal))
            .OrderBy(r => r.At).ToList();
        var pingPongs = 0;
        foreach (var user in Users)
        {
            var callers = calls.Where(c => c.UserId == user).Select(c => c.Caller!).ToList();
            var sequence = callers.Where((c, i) => i == 0 || c != callers[i - 1]).ToList();
            pingPongs += sequence.Count - sequence.Distinct().Count();
            output.WriteLine($"{user}: {callers.Count} IBKR calls, callers in turn {string.Join(" → ", sequence)}, " +
                $"session inits {calls.Count(c => c.UserId == user && c.Path.EndsWith("/ssodh/init", StringComparison.Ordinal))}");
        }

        var outcome = await BurstOutcome.MeasureAsync(_servers, _simulator, _downstream, [.. orders.Select(o => o.OrderId)]);
        output.WriteLine($"{outcome}; one of two instances stalled 8 s (SIGSTOP, leases 3 s); returns to a user's session after a handover: {pingPongs}");
        Assert.Equal(0, pingPongs);
        Assert.Equal((200, 200, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
    }

    [Fact]
    public async Task Should_keep_a_users_session_with_its_holder_while_that_users_reads_hang()
    {
        _simulator.Control.PinPrice(9402, 100m);
        var orders = Enumerable.Range(0, 60).Select(i => TestOrders.Market(userId: Users[i % Users.Length], quantity: 1) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9402,
        }).ToList();

        var first = await ProcessorProcess.StartAsync(_servers, _simulator, Settings("instance-c"));
        var second = await ProcessorProcess.StartAsync(_servers, _simulator, Settings("instance-d"));
        try
        {
            await Task.WhenAll(orders.Take(30).Select(o => _downstream.Publisher.Publish(o)));
            await Task.Delay(1500);

            // Every read of carol's live orders now takes 20 s: the polls give up at their deadline, while the holder's
            // lease keeper (a timer of its own) keeps carol's lease, so no other instance takes her session meanwhile.
            _simulator.Control.SetFaults(new Simulator.Faults.FaultSettings { LatencyMs = 20_000, PathContains = "/account/orders", UserId = "carol" });
            await Task.WhenAll(orders.Skip(30).Select(o => _downstream.Publisher.Publish(o)));
            await Task.Delay(10_000);
            _simulator.Control.ClearFaults();
            await WaitUntilAllFilledAsync([.. orders.Select(o => o.OrderId)]);
        }
        finally
        {
            _simulator.Control.ClearFaults();
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        var carol = _simulator.Control.Requests()
            .Where(r => r.UserId == "carol" && r.Caller is not null && r.Path.StartsWith("/v1/api/", StringComparison.Ordinal))
            .OrderBy(r => r.At).Select(r => r.Caller!).ToList();
        var holders = carol.Where((c, i) => i == 0 || c != carol[i - 1]).ToList();
        var outcome = await BurstOutcome.MeasureAsync(_servers, _simulator, _downstream, [.. orders.Select(o => o.OrderId)]);
        output.WriteLine($"{outcome}; carol's live orders slowed to 20 s for 10 s: {carol.Count} calls, callers in turn {string.Join(" → ", holders)}");
        Assert.Single(holders);
        Assert.Equal((60, 60, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
    }

    private async Task WaitUntilAllFilledAsync(List<Guid> ids)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var filled = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = _servers.CreateDbContext();
            filled = await db.Orders.CountAsync(o => ids.Contains(o.OrderId) && o.Status == OrderStatus.Filled);
            if (filled == ids.Count && !await db.Outbox.AnyAsync(o => o.PublishedAt == null))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{filled} of {ids.Count} orders filled");
    }

    public async Task DisposeAsync()
    {
        await _downstream.DisposeAsync();
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
    }
}

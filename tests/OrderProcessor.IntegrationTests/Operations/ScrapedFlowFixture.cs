using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>
/// The deployable host (a child process serving <c>/metrics</c>) after a flow of orders that gives every metric the
/// dashboards and alerts read something to show: fills for four users, one user whose IBKR order calls take 300 ms,
/// a margin check, a limit order cancelled, and a user answered 429 until the guard backs off. Scraped once ready (before the flow) and once at the end.
/// </summary>
public sealed class ScrapedFlowFixture : IAsyncLifetime
{
    public const string ServiceName = "orderprocessor-scraped";
    public const string ServiceVersion = "9.8.7-scrape";
    public const int SlowCallMs = 300;
    private const int Conid = 9301;
    private static readonly string[] FastUsers = ["alice", "carol", "dave", "erin"];

    private readonly IsolatedServers _servers = new();

    // Audit checkpoints configured, as in production, so their metrics are in the scrape.
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("scraped-checkpoints-").FullName;
    private SimulatorUnderTest _simulator = null!;
    private DownstreamSubscriber _downstream = null!;
    private ProcessorProcess? _processor;

    public PrometheusScrape Scrape { get; private set; } = null!;

    /// <summary>The same host scraped once it is ready, before any order (and any 429).</summary>
    public PrometheusScrape FreshScrape { get; private set; } = null!;

    /// <summary>What the flow did, for the tests' output.</summary>
    public string Flow { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();

        // Injected 429s for one user stand for IBKR's per-user answers; the simulator's penalty box would close the egress IP for minutes.
        _simulator = new SimulatorUnderTest(new Dictionary<string, string?> { ["Simulator:PenaltyBoxAfter429s"] = "0" }, overTcp: true);
        _downstream = await DownstreamSubscriber.StartAsync(_servers);
        _processor = await ProcessorProcess.StartAsync(_servers, _simulator, new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.version={ServiceVersion},deployment.environment=test",
            ["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:00.250",
            ["Brokerage:Pacing:MaxBackoff"] = "00:00:02",
            ["Audit:Checkpoints:SigningKey"] = OrderProcessor.Audit.Checkpoints.CheckpointSigningKey.Generate().ToPem(),
            ["Audit:Checkpoints:Directory"] = _checkpoints,
            ["Audit:Checkpoints:Interval"] = "00:00:01",
        });
        try
        {
            FreshScrape = await PrometheusScrape.ReadAsync(_processor.BaseAddress!);
            await RunFlowAsync();
            Scrape = await PrometheusScrape.ReadAsync(_processor.BaseAddress!);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"the flow failed: {exception.Message}\nprocessor output:\n{string.Join('\n', _processor.Output.TakeLast(40))}", exception);
        }
    }

    private async Task RunFlowAsync()
    {
        var clock = Stopwatch.StartNew();
        var control = _simulator.Control;
        control.PinPrice(Conid, 100m);

        var fills = Enumerable.Range(0, 8).Select(i => Market(FastUsers[i % FastUsers.Length])).ToList();
        await PublishAndWaitAsync(fills, OrderStatus.Filled);

        // IBKR slow for one user: its submissions take at least the latency of each order call.
        control.SetFaults(new FaultSettings { LatencyMs = SlowCallMs, PathContains = "/orders", UserId = "bob" });
        var slow = Enumerable.Range(0, 3).Select(_ => Market("bob")).ToList();
        await PublishAndWaitAsync(slow, OrderStatus.Filled);
        control.ClearFaults();

        var margin = await _downstream.CreateRequestClient<MarginCheck>().GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = SimulatorUnderTest.Accounts["alice"],
            Conid = Conid,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        });

        // Below the pinned price: it works until cancelled.
        var resting = Market("alice") with { OrderType = OrderType.Limit, LimitPrice = 99.5m };
        await PublishAndWaitAsync([resting], OrderStatus.Working);
        await _downstream.Publisher.Publish(new CancelOrder { OrderId = resting.OrderId, UserId = "alice", Reason = "metrics flow" });
        await WaitForAsync(resting.OrderId, OrderStatus.Cancelled);

        // IBKR answers carol's trading calls 429 until the guard has seen some; her orders go through once it stops.
        var tooManyBefore = control.Stats().TooManyRequests;
        control.SetFaults(new FaultSettings { TooManyRequestsRate = 1, PathContains = "/iserver/account/", UserId = "carol" });
        var paced = Enumerable.Range(0, 2).Select(_ => Market("carol")).ToList();
        await Task.WhenAll(paced.Select(o => _downstream.Publisher.Publish(o)));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (control.Stats().TooManyRequests - tooManyBefore < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        control.ClearFaults();
        foreach (var order in paced)
        {
            await WaitForAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(60));
        }

        Flow = $"{fills.Count} fills for {FastUsers.Length} users, {slow.Count} fills for bob with IBKR order calls of {SlowCallMs} ms, " +
            $"a margin check ({margin.Message.GetType().Name}), a limit order cancelled, {paced.Count} fills for carol after " +
            $"{control.Stats().TooManyRequests - tooManyBefore} answers 429; {clock.Elapsed.TotalSeconds:F1} s";
    }

    private static PlaceOrder Market(string user) =>
        TestOrders.Market(userId: user, quantity: 2) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = Conid };

    private async Task PublishAndWaitAsync(IReadOnlyList<PlaceOrder> orders, OrderStatus status)
    {
        await Task.WhenAll(orders.Select(o => _downstream.Publisher.Publish(o)));
        foreach (var order in orders)
        {
            await WaitForAsync(order.OrderId, status);
        }
    }

    private async Task WaitForAsync(Guid orderId, OrderStatus status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        OrderStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = _servers.CreateDbContext();
            last = await db.Orders.AsNoTracking().Where(o => o.OrderId == orderId).Select(o => (OrderStatus?)o.Status).SingleOrDefaultAsync();
            if (last == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"order {orderId} is {last?.ToString() ?? "missing"}, not {status}");
    }

    public async Task DisposeAsync()
    {
        if (_processor is not null)
        {
            await _processor.DisposeAsync();
        }

        await _downstream.DisposeAsync();
        await _simulator.DisposeAsync();
        await _servers.DisposeAsync();
        Directory.Delete(_checkpoints, recursive: true);
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Simulator.Control;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Demo;

public sealed class When_the_demo_runs(When_the_demo_runs.Fixture fixture, ITestOutputHelper output) : IClassFixture<When_the_demo_runs.Fixture>
{
    /// <summary>
    /// The production question policy: a limit far from the market (o163) is not confirmed, as the demo expects, and
    /// IBKR's cash-quantity notice (o10223) is, as production's default list has it (the harness's list predates it).
    /// </summary>
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Brokerage:Questions:AllowedIds:5"] = "o403",
            ["Brokerage:Questions:AllowedIds:6"] = "o10223",
        };
    }

    [Fact]
    public async Task Should_bring_every_order_to_its_expected_final_state_with_no_duplicate_at_ibkr()
    {
        var settings = new CliSettings
        {
            RabbitMq = new RabbitMqOptions
            {
                Host = fixture.Servers.Servers.RabbitHost,
                Port = fixture.Servers.Servers.RabbitPort,
                VirtualHost = fixture.Servers.VirtualHost,
                Username = fixture.Servers.Servers.RabbitUsername,
                Password = fixture.Servers.Servers.RabbitPassword,
            },
            ConnectionString = fixture.Servers.ConnectionString,
        };
        using var simulator = new SimulatorClient(fixture.Simulator.CreateClient());

        var exitCode = await new DemoRunner(settings, simulator, 40, TimeSpan.FromSeconds(60)).RunAsync(CancellationToken.None);

        Assert.Equal(ExitCodes.Success, exitCode);
        await using var db = fixture.Db();
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        Assert.Equal(43, orders.Count);
        Assert.All(orders, o => Assert.True(OrderLifecycle.IsFinal(o.Status), $"order {o.OrderId} is {o.Status}"));
        Assert.Equal(9, orders.Count(o => o.Status == OrderStatus.Rejected));
        var ledger = fixture.Simulator.Control.Ledger();
        Assert.Equal(ledger.Count, ledger.Select(l => l.COID).Distinct().Count());
        Assert.Equal(orders.Count(o => o.BrokerOrderId is not null), ledger.Count);
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
        AssertTheFullerTicket(orders, ledger);
    }

    /// <summary>The demo's orders of issue 16's ticket, each as IBKR got and filled it.</summary>
    private void AssertTheFullerTicket(IReadOnlyList<OrderSaga> orders, IReadOnlyList<LedgerEntry> ledger)
    {
        LedgerEntry AtIbkr(OrderSaga order) => ledger.Single(l => l.COID == order.ClientOrderId);

        var cash = orders.Single(o => o.CashQuantity is not null);
        var cashAtIbkr = AtIbkr(cash);
        output.WriteLine($"cash order: cashQty {cashAtIbkr.CashQuantity}, size sent none, filled {cash.FilledQuantity} at {cash.AveragePrice}, spent {cashAtIbkr.FilledCashAmount}");
        Assert.Equal((OrderStatus.Filled, 1_000m, (decimal?)null), (cash.Status, cashAtIbkr.CashQuantity, cash.Quantity));
        Assert.Equal(decimal.Floor(1_000m / cashAtIbkr.AvgPrice!.Value * 10_000m) / 10_000m, cash.FilledQuantity);
        Assert.Equal(cash.FilledQuantity * cashAtIbkr.AvgPrice.Value, cashAtIbkr.FilledCashAmount);

        var mid = orders.Single(o => o.OrderType == OrderType.MidPrice);
        var quote = fixture.Simulator.Control.QuoteOf(mid.Conid!.Value);
        output.WriteLine($"MIDPRICE order: quote {quote.Bid}/{quote.Ask}, filled {mid.FilledQuantity} at {mid.AveragePrice}");
        Assert.Equal((OrderStatus.Filled, quote.Midpoint, "MIDPRICE"), (mid.Status, AtIbkr(mid).AvgPrice!.Value, AtIbkr(mid).OrderType));
        Assert.NotEqual(fixture.Simulator.Control.PriceOf(mid.Conid!.Value), quote.Midpoint);

        var adaptive = orders.Single(o => o.AlgoStrategy is not null);
        var adaptiveAtIbkr = AtIbkr(adaptive);
        output.WriteLine($"Adaptive order: strategy {adaptiveAtIbkr.Strategy} {string.Join(",", adaptiveAtIbkr.StrategyParameters!.Select(p => $"{p.Key}={p.Value}"))}, {adaptive.Status}");
        Assert.Equal((OrderStatus.Filled, "Adaptive", "Normal"), (adaptive.Status, adaptiveAtIbkr.Strategy, adaptiveAtIbkr.StrategyParameters!["adaptivePriority"]));

        // By conid: an order refused by the validator keeps no ticket fields in its row.
        var futures = orders.Where(o => o.Conid == DemoScenario.Instruments.Future).ToList();
        var future = futures.Single(o => o.Status != OrderStatus.Rejected);
        var futureAtIbkr = AtIbkr(future);
        output.WriteLine($"future: secType {futureAtIbkr.SecType} manualIndicator {futureAtIbkr.ManualIndicator}, filled {future.FilledQuantity} at {future.AveragePrice}; the one without the indicator {futures.Single(o => o != future).Status}");
        Assert.Equal((OrderStatus.Filled, "FUT", (bool?)false, 1m), (future.Status, futureAtIbkr.SecType, futureAtIbkr.ManualIndicator, future.FilledQuantity));
        Assert.Null(futures.Single(o => o != future).BrokerOrderId);
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Demo;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;

namespace OrderProcessor.IntegrationTests.Demo;

public sealed class When_the_demo_runs(When_the_demo_runs.Fixture fixture) : IClassFixture<When_the_demo_runs.Fixture>
{
    /// <summary>The production question policy: a limit far from the market (o163) is not confirmed, as the demo expects.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Brokerage:Questions:AllowedIds:5"] = "o403" };
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
        Assert.Equal(8, orders.Count(o => o.Status == OrderStatus.Rejected));
        var ledger = fixture.Simulator.Control.Ledger();
        Assert.Equal(ledger.Count, ledger.Select(l => l.COID).Distinct().Count());
        Assert.Equal(orders.Count(o => o.BrokerOrderId is not null), ledger.Count);
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Resilience;

/// <summary>
/// PostgreSQL and RabbitMQ become unreachable in the middle of a burst and come back, as in a network outage (open
/// connections drop, new ones are refused, the servers keep their state): the processor reaches them through proxies the
/// test cuts and restores. Real server restarts are <see cref="When_the_servers_restart_mid_burst"/>.
/// </summary>
public sealed class When_a_burst_meets_server_outages(When_a_burst_meets_server_outages.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_burst_meets_server_outages.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public TcpProxy Postgres { get; private set; } = null!;

        public TcpProxy RabbitMq { get; private set; } = null!;

        protected override Dictionary<string, string?> ProcessorSettings
        {
            get
            {
                if (Postgres is null)
                {
                    var database = new NpgsqlConnectionStringBuilder(Servers.ConnectionString);
                    Postgres = new TcpProxy(database.Host!, database.Port);
                    RabbitMq = new TcpProxy(Servers.Servers.RabbitHost, Servers.Servers.RabbitPort);
                }

                var proxied = new NpgsqlConnectionStringBuilder(Servers.ConnectionString) { Host = "127.0.0.1", Port = Postgres.Port, Timeout = 3 };
                return new()
                {
                    ["ConnectionStrings:OrderProcessor"] = proxied.ConnectionString,
                    ["RabbitMq:Host"] = "127.0.0.1",
                    ["RabbitMq:Port"] = RabbitMq.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Outbox:PublishTimeout"] = "00:00:02",
                };
            }
        }

        public override async Task DisposeAsync()
        {
            Postgres.Restore();
            RabbitMq.Restore();
            await base.DisposeAsync();
            await Postgres.DisposeAsync();
            await RabbitMq.DisposeAsync();
        }
    }

    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public async Task Should_retry_publishes_the_broker_never_confirms_and_deliver_each_event_once()
    {
        fixture.Simulator.Control.PinPrice(9202, 100m);
        var orders = Enumerable.Range(0, 20).Select(i => TestOrders.Limit(userId: Users[i % Users.Length], limitPrice: 99m) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9202,
        }).ToList();
        await Task.WhenAll(orders.Select(o => fixture.Downstream.Publisher.Publish(o)));
        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30));
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(30));

        // The broker's connection turns into a black hole: publishes are written and never confirmed. The fills are
        // observed over HTTP meanwhile, so their OrderFilled rows wait for the relay.
        fixture.RabbitMq.Freeze();
        try
        {
            fixture.Simulator.Control.PinPrice(9202, 98m);
            foreach (var order in orders)
            {
                await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            fixture.RabbitMq.Thaw();
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(60));
        foreach (var order in orders)
        {
            await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderFilled));
        }

        await using var db = fixture.Db();
        var ids = orders.Select(o => o.OrderId).ToList();
        var retried = await db.Outbox.CountAsync(r => ids.Contains(r.OrderId) && r.MessageType == nameof(OrderFilled) && r.Attempts > 1);
        var outcome = await BurstOutcome.MeasureAsync(fixture, ids);
        output.WriteLine($"{outcome}; {retried} OrderFilled rows published again after a publish that was never confirmed");

        Assert.True(retried > 0, "no publish timed out: the relay waited for the black hole instead");
        Assert.Equal((20, 20, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
    }

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_when_postgresql_and_rabbitmq_restart_mid_burst()
    {
        var orders = Enumerable.Range(0, 200).Select(i => TestOrders.Market(userId: Users[i % Users.Length]) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9201,
        }).ToList();

        var publishing = Task.Run(async () =>
        {
            foreach (var batch in orders.Chunk(20))
            {
                await Task.WhenAll(batch.Select(o => fixture.Downstream.Publisher.Publish(o)));
                await Task.Delay(250);
            }
        });

        await Task.Delay(1000);
        fixture.Postgres.Cut();
        await Task.Delay(3000);
        fixture.Postgres.Restore();
        await Task.Delay(1000);
        fixture.RabbitMq.Cut();
        await Task.Delay(3000);
        fixture.RabbitMq.Restore();
        await publishing;

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(90));
        }

        try
        {
            await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            foreach (var line in fixture.Secrets.Logs.Where(l => l.Contains("Outbox", StringComparison.Ordinal) || l.Contains("MassTransit", StringComparison.Ordinal)).TakeLast(60))
            {
                output.WriteLine(line);
            }

            throw;
        }
        await fixture.WaitForQueueDrainedAsync("place-order", TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        var outcome = await BurstOutcome.MeasureAsync(fixture, orders.Select(o => o.OrderId).ToList());
        output.WriteLine($"{outcome}; PostgreSQL and RabbitMQ each unreachable for 3 s");

        Assert.Equal((200, 200, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

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

using System.Diagnostics;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Resilience;

/// <summary>
/// RabbitMQ and then PostgreSQL are really stopped and started again in the middle of a burst: the broker comes back
/// from its own disk (durable queues, persistent messages, unacknowledged deliveries requeued), the database with
/// whatever it had committed. The servers are this class's own, so the shared ones keep serving the other classes.
/// </summary>
public sealed class When_the_servers_restart_mid_burst(When_the_servers_restart_mid_burst.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_the_servers_restart_mid_burst.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public RestartableServers Restartable { get; private set; } = null!;

        protected override async Task<ServerEndpoints> FindServersAsync()
        {
            Restartable = await RestartableServers.StartAsync();
            return Restartable.Endpoints;
        }

        public override async Task DisposeAsync()
        {
            try
            {
                await base.DisposeAsync();
            }
            finally
            {
                await Restartable.DisposeAsync();
            }
        }
    }

    private static readonly string[] Users = ["alice", "bob", "carol"];

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_when_rabbitmq_and_postgresql_restart()
    {
        var orders = Enumerable.Range(0, 300).Select(i => TestOrders.Market(userId: Users[i % Users.Length]) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9301,
        }).ToList();

        var clock = Stopwatch.StartNew();
        var publishing = Task.Run(async () =>
        {
            foreach (var batch in orders.Chunk(15))
            {
                await Task.WhenAll(batch.Select(fixture.Downstream.PublishUntilAcceptedAsync));
                await Task.Delay(200);
            }
        });

        await Task.Delay(1500);
        var rabbitDown = await fixture.Restartable.RestartAsync("rabbitmq");
        output.WriteLine($"RabbitMQ restarted at {clock.Elapsed.TotalSeconds:F1} s, down {rabbitDown.TotalSeconds:F1} s");
        await Task.Delay(1500);
        var postgresDown = await fixture.Restartable.RestartAsync("postgres");
        output.WriteLine($"PostgreSQL restarted at {clock.Elapsed.TotalSeconds:F1} s, down {postgresDown.TotalSeconds:F1} s");

        // The test's own idle connections died with the server; the processor's pool (its connection string differs)
        // is left for the processor to recover.
        using (var testConnections = new NpgsqlConnection(fixture.Servers.ConnectionString))
        {
            NpgsqlConnection.ClearPool(testConnections);
        }
        await publishing;

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(120));
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(90));
        await fixture.WaitForQueueDrainedAsync("place-order", TimeSpan.FromSeconds(30));

        // The subscriber reconnects on its own schedule after a long broker outage; what it has not consumed yet waits
        // in its durable queue, and counting before it drains would call those events missing.
        await fixture.WaitForQueueDrainedAsync("downstream-subscriber", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);
        var outcome = await BurstOutcome.MeasureAsync(fixture, orders.Select(o => o.OrderId).ToList());
        output.WriteLine($"{outcome}; {fixture.Downstream.Republished} publishes retried by the upstream; done at {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal((300, 300, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

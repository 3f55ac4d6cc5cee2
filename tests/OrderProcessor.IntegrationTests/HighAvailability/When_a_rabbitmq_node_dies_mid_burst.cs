using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.HighAvailability;

/// <summary>
/// A 3-node RabbitMQ cluster with quorum queues; the node the processor is connected to dies (SIGKILL) in the middle of
/// a burst and comes back later. The processor reconnects to another node, the queues' other replicas elect a new
/// leader and keep every message, and the outbox republishes what a lost confirm left in doubt.
/// </summary>
[Collection(HighAvailabilityCollection.Name)]
public sealed class When_a_rabbitmq_node_dies_mid_burst(When_a_rabbitmq_node_dies_mid_burst.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_rabbitmq_node_dies_mid_burst.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public ReplicatedServers? Cluster { get; private set; }

        protected override async Task<ServerEndpoints> FindServersAsync()
        {
            var servers = await ReplicatedServers.StartRabbitMqClusterAsync();
            Cluster = servers;
            return servers.Endpoints;
        }

        public override async Task DisposeAsync()
        {
            try
            {
                await base.DisposeAsync();
            }
            finally
            {
                // Null when the servers did not start (they stopped what they had started).
                if (Cluster is not null)
                {
                    await Cluster.DisposeAsync();
                }
            }
        }
    }

    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_and_publish_every_event_once()
    {
        fixture.Simulator.Control.PinPrice(9501, 100m);
        var orders = Enumerable.Range(0, 500).Select(i => TestOrders.Market(userId: Users[i % Users.Length], quantity: 1 + (i % 3)) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9501,
        }).ToList();

        using var management = Management(ReplicatedServers.NodePort(1) + 10000);
        var queues = await QueuesAsync(management);
        output.WriteLine($"queues: {string.Join(", ", queues.Select(q => $"{q.Name} ({q.Type})"))}");
        Assert.Contains(queues, q => q.Name == "place-order");
        Assert.All(queues.Where(q => !q.Name.Contains("bus", StringComparison.Ordinal)), q => Assert.Equal("quorum", q.Type));
        // The processor's and the test's connections (the management API lists them once its statistics catch up).
        var nodesBefore = new List<string>();
        for (var wait = Stopwatch.StartNew(); nodesBefore.Count < 2 && wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
        {
            nodesBefore = await ConnectionNodesAsync(management);
        }

        output.WriteLine($"connections before the kill: {string.Join(", ", nodesBefore)}");
        Assert.True(nodesBefore.Count >= 2, "the processor's and the test's connections should be listed");
        Assert.All(nodesBefore, node => Assert.StartsWith("orderprocessor-test-cluster-1@", node, StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        var publishing = Task.Run(async () =>
        {
            foreach (var batch in orders.Chunk(20))
            {
                await Task.WhenAll(batch.Select(fixture.Downstream.PublishUntilAcceptedAsync));
                await Task.Delay(150);
            }
        });

        await Task.Delay(1500);
        await fixture.Cluster!.KillRabbitMqNodeAsync(1);
        output.WriteLine($"node 1 killed at {clock.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(6000);
        var rejoin = await fixture.Cluster!.StartRabbitMqNodeAsync(1);
        output.WriteLine($"node 1 back at {clock.Elapsed.TotalSeconds:F1} s (restart took {rejoin.TotalSeconds:F1} s)");
        await publishing;
        output.WriteLine($"burst published by {clock.Elapsed.TotalSeconds:F1} s");

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(120));
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(90));
        await fixture.WaitForQueueDrainedAsync("place-order", TimeSpan.FromSeconds(30));
        await fixture.WaitForQueueDrainedAsync("downstream-subscriber", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);

        var nodesAfter = await ConnectionNodesAsync(management);
        Assert.DoesNotContain(nodesAfter, node => node.StartsWith("orderprocessor-test-cluster-1@", StringComparison.Ordinal));
        var outcome = await BurstOutcome.MeasureAsync(fixture, [.. orders.Select(o => o.OrderId)]);
        output.WriteLine($"{outcome}; {fixture.Downstream.Republished} publishes retried by the upstream; connections now on {string.Join(", ", nodesAfter.Distinct())}; " +
            $"done at {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal((500, 500, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
        Assert.Equal(outcome.OutboxRows, outcome.EventsSeenAfterDedup);
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }

    private static HttpClient Management(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
        return http;
    }

    private async Task<List<(string Name, string Type)>> QueuesAsync(HttpClient management)
    {
        var queues = await management.GetFromJsonAsync<JsonElement>($"queues/{fixture.Servers.VirtualHost}");
        return [.. queues.EnumerateArray().Select(q => (q.GetProperty("name").GetString()!, q.GetProperty("type").GetString()!))];
    }

    /// <summary>The node of every AMQP connection to this test's virtual host (the processor's and the test's own).</summary>
    private async Task<List<string>> ConnectionNodesAsync(HttpClient management)
    {
        var connections = await management.GetFromJsonAsync<JsonElement>($"vhosts/{fixture.Servers.VirtualHost}/connections");
        return [.. connections.EnumerateArray().Select(c => c.GetProperty("node").GetString()!)];
    }
}

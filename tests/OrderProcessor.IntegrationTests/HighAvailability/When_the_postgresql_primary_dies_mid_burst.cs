using System.Diagnostics;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.HighAvailability;

/// <summary>
/// A PostgreSQL primary with a synchronous standby; the primary dies (SIGKILL, its backends with it) in the middle of a
/// burst and the standby is promoted. The connection string lists both hosts with Target Session Attributes=primary,
/// so the processor finds the new primary on its own; every commit it saw was on the standby's disk too, and what the
/// failover interrupted is retried with the idempotency the processor already has.
/// </summary>
[Collection(HighAvailabilityCollection.Name)]
public sealed class When_the_postgresql_primary_dies_mid_burst(When_the_postgresql_primary_dies_mid_burst.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_the_postgresql_primary_dies_mid_burst.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public ReplicatedServers? Pair { get; private set; }

        protected override async Task<ServerEndpoints> FindServersAsync()
        {
            var servers = await ReplicatedServers.StartPostgresPairAsync();
            Pair = servers;
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
                if (Pair is not null)
                {
                    await Pair.DisposeAsync();
                }
            }
        }
    }

    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_when_the_standby_takes_over()
    {
        fixture.Simulator.Control.PinPrice(9502, 100m);
        var orders = Enumerable.Range(0, 500).Select(i => TestOrders.Market(userId: Users[i % Users.Length], quantity: 1 + (i % 3)) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9502,
        }).ToList();

        var clock = Stopwatch.StartNew();
        var publishing = Task.Run(async () =>
        {
            foreach (var batch in orders.Chunk(20))
            {
                await Task.WhenAll(batch.Select(o => fixture.Downstream.Publisher.Publish(o)));
                await Task.Delay(150);
            }
        });

        await Task.Delay(1500);
        await fixture.Pair!.KillPostgresPrimaryAsync();
        output.WriteLine($"primary killed at {clock.Elapsed.TotalSeconds:F1} s");

        // What a failover manager takes to decide: the database is unavailable meanwhile.
        await Task.Delay(3000);
        await fixture.Pair!.PromotePostgresStandbyAsync();
        output.WriteLine($"standby promoted at {clock.Elapsed.TotalSeconds:F1} s");

        // The test's own pooled connections died with the primary; the processor's pool (its connection string differs)
        // is left for the processor to recover.
        using (var testConnections = new NpgsqlConnection(fixture.Servers.ConnectionString))
        {
            NpgsqlConnection.ClearPool(testConnections);
        }

        await publishing;

        try
        {
            foreach (var order in orders)
            {
                await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(120));
            }
        }
        catch (TimeoutException)
        {
            output.WriteLine($"dead-lettered commands: {await fixture.MessagesInQueueAsync("place-order_error")}");
            // Why the commands were faulted: the exceptions (type and message) of the processor's errors, most frequent first.
            var reasons = fixture.Secrets.Logs.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
                .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, @"(?m)^\s*(?:---> )?([A-Za-z.]+Exception): ([^\n]{0,200})").Select(m => $"{m.Groups[1].Value}: {m.Groups[2].Value}"))
                .GroupBy(r => r).OrderByDescending(g => g.Count()).Take(10);
            foreach (var reason in reasons)
            {
                output.WriteLine($"{reason.Count()} × {reason.Key}");
            }

            var fault = fixture.Secrets.Logs.FirstOrDefault(l => l.Contains("R-FAULT", StringComparison.Ordinal) || l.Contains("T-FAULT", StringComparison.Ordinal));
            output.WriteLine($"first fault: {fault?[..Math.Min(fault.Length, 4000)]}");

            throw;
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(90));
        await fixture.WaitForQueueDrainedAsync("place-order", TimeSpan.FromSeconds(30));
        await fixture.WaitForQueueDrainedAsync("downstream-subscriber", TimeSpan.FromSeconds(60));
        await Task.Delay(1000);

        var outcome = await BurstOutcome.MeasureAsync(fixture, [.. orders.Select(o => o.OrderId)]);
        var deadLettered = await fixture.MessagesInQueueAsync("place-order_error");
        output.WriteLine($"{outcome}; commands dead-lettered: {deadLettered}; done at {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(0, deadLettered);
        Assert.Equal((500, 500, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents));
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

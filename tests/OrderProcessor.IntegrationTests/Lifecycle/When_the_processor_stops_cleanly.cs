using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>A clean stop (SIGTERM, a deployment) drains the IBKR calls under way instead of leaving them to be reconciled.</summary>
public sealed class When_the_processor_stops_cleanly(When_the_processor_stops_cleanly.Fixture fixture) : IClassFixture<When_the_processor_stops_cleanly.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        // The restarted processor opens a brokerage session of its own (IBKR allows one per username).
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Brokerage:Ibkr:Compete"] = "true" };
    }

    [Fact]
    public async Task Should_finish_the_ibkr_calls_under_way_record_their_answers_and_release_its_leases()
    {
        var command = TestOrders.Market(userId: "erin") with { AccountId = "DU5678901", Conid = 4009 };
        fixture.Simulator.Control.SetFaults(new FaultSettings { LatencyMs = 3000, PathContains = "/orders", UserId = "erin" });
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Submitting);

        (OrderStatus Status, int Leases) stopped = default;
        await fixture.RestartProcessorAsync(async () =>
        {
            fixture.Simulator.Control.ClearFaults();
            await using var db = fixture.Db();
            var now = DateTimeOffset.UtcNow;
            stopped = ((await db.Orders.FindAsync(command.OrderId))!.Status, db.UserSessionLeases.Count(l => l.ExpiresAt > now));
        });

        // The send was allowed to finish during the drain and its answer recorded: nothing is left to reconcile, and the
        // users are free for another instance at once (their leases expired, not deleted: epochs keep growing).
        Assert.NotEqual(OrderStatus.Submitting, stopped.Status);
        Assert.Equal(0, stopped.Leases);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }
}

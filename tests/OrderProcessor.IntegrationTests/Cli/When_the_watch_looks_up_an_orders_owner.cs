using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Cli;

/// <summary>
/// <c>orders watch --user</c> attributes events to an order's owner, taken from the order's first event. A rejection
/// with sequence 0 names the user the refused command claimed (anyone may publish a PlaceOrder under an existing id):
/// it must never make that user the order's owner. Pure: every owner here is named by an event, no database is read.
/// </summary>
public sealed class When_the_watch_looks_up_an_orders_owner(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_not_take_the_owner_from_a_rejection_outside_the_orders_chain()
    {
        var lookup = new OrderOwnerLookup(new NoDatabase());
        var orderId = Guid.NewGuid();
        await lookup.OwnerOfAsync(new OrderAccepted { OrderId = orderId, Sequence = 1, UserId = "alice", AccountId = "DU1" }, CancellationToken.None);
        var refusal = new OrderRejected
        {
            OrderId = orderId,
            Sequence = 0,
            ReasonCode = RejectionReasonCode.ConflictingDuplicate,
            Command = nameof(PlaceOrder),
            UserId = "mallory",
            AccountId = "DU9",
        };
        var ofRefusal = await lookup.OwnerOfAsync(refusal, CancellationToken.None);
        var afterwards = await lookup.OwnerOfAsync(new OrderFilled { OrderId = orderId, Sequence = 5 }, CancellationToken.None);
        output.WriteLine($"owner after a sequence-0 refusal claiming mallory: {afterwards}; the refusal itself attributed to {ofRefusal}");
        Assert.Equal(("alice", "DU1"), afterwards);
        Assert.Equal(("alice", "DU1"), ofRefusal);
    }

    [Fact]
    public async Task Should_take_the_owner_from_a_refused_place_orders_first_event()
    {
        var lookup = new OrderOwnerLookup(new NoDatabase());
        var orderId = Guid.NewGuid();
        var owner = await lookup.OwnerOfAsync(new OrderRejected { OrderId = orderId, Sequence = 1, Command = nameof(PlaceOrder), UserId = "bob", AccountId = "DU2" }, CancellationToken.None);
        output.WriteLine($"a PlaceOrder refused at sequence 1 → owner {owner}");
        Assert.Equal(("bob", "DU2"), owner);
    }

    /// <summary>Fails any read: the owners in these tests come from events alone.</summary>
    private sealed class NoDatabase : IDbContextFactory<OrderProcessorDbContext>
    {
        public OrderProcessorDbContext CreateDbContext() => throw new InvalidOperationException("no database in this test");
    }
}

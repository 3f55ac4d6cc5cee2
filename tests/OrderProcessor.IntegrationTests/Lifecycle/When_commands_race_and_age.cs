using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Contracts;
using OrderProcessor.Inbox;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>Commands that overtake each other on the broker, and what the processor keeps of them over time.</summary>
public sealed class When_commands_race_and_age(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_cancel_without_sending_an_order_whose_cancel_overtook_its_place_order()
    {
        var command = TestOrders.Market(userId: "bob") with { AccountId = "DU2345678", Conid = 12001 };
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = command.OrderId, UserId = "bob", Reason = "changed my mind" });
        var refused = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderRejected));
        Assert.Equal(RejectionReasonCode.NotFound, refused.Select(e => e.Event).OfType<OrderRejected>().Single().ReasonCode);

        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled);
        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderCancelled));

        Assert.Equal("changed my mind", events.Select(e => e.Event).OfType<OrderCancelled>().Single().Reason);
        Assert.Contains(events, e => e.Event is OrderAccepted);
        await Task.Delay(1000);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }

    [Fact]
    public async Task Should_prune_only_what_deduplication_no_longer_needs()
    {
        var now = DateTimeOffset.UtcNow;
        var (old, recent) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = fixture.Db())
        {
            db.Inbox.Add(new InboxMessage { MessageId = old, Consumer = "Test", ProcessedAt = now.AddDays(-8) });
            db.Inbox.Add(new InboxMessage { MessageId = recent, Consumer = "Test", ProcessedAt = now.AddDays(-6) });
            db.EarlyCancels.Add(new EarlyCancelEntry { OrderId = old, UserId = "x", Reason = "r", ReceivedAt = now.AddDays(-8) });
            db.EarlyCancels.Add(new EarlyCancelEntry { OrderId = recent, UserId = "x", Reason = "r", ReceivedAt = now.AddDays(-6) });
            await db.SaveChangesAsync();
        }

        var pruner = fixture.Processor.Services.GetRequiredService<InboxPruner>();
        var (inbox, early, _) = await pruner.PruneAsync(now.AddDays(-7), CancellationToken.None);

        Assert.True(inbox >= 1 && early >= 1, $"pruned {inbox} inbox rows and {early} early cancels");
        await using var check = fixture.Db();
        Assert.False(await check.Inbox.AnyAsync(i => i.MessageId == old));
        Assert.True(await check.Inbox.AnyAsync(i => i.MessageId == recent));
        Assert.False(await check.EarlyCancels.AnyAsync(c => c.OrderId == old));
        Assert.True(await check.EarlyCancels.AnyAsync(c => c.OrderId == recent));
    }
}

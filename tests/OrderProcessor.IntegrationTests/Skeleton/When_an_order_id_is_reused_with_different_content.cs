using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Skeleton;

public sealed class When_an_order_id_is_reused_with_different_content(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_reject_it_as_a_conflicting_duplicate_and_leave_the_order_unchanged()
    {
        var original = TestOrders.Limit(quantity: 10);
        await fixture.Downstream.Publisher.Publish(original);
        await fixture.Downstream.WaitForAsync(original.OrderId, e => e.Count >= 1);

        await fixture.Downstream.Publisher.Publish(original with { Quantity = 1000 });

        var events = await fixture.Downstream.WaitForAsync(original.OrderId, e => e.Any(x => x.Event is OrderRejected));
        Assert.IsType<OrderAccepted>(events[0].Event);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(events, e => e.Event is OrderRejected).Event);
        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, rejected.ReasonCode);

        await using var db = fixture.Db();
        var order = await db.Orders.SingleAsync(o => o.OrderId == original.OrderId);
        Assert.NotEqual(OrderStatus.Rejected, order.Status);
        Assert.Equal(10m, order.Quantity!.Value);
        var chain = await db.Outbox.Where(o => o.OrderId == original.OrderId).OrderBy(o => o.OrderSequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long)i), chain.Select(r => r.OrderSequence));
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Hash, chain[i].PreviousHash);
        }
    }
}

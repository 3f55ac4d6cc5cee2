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

        var events = await fixture.Downstream.WaitForAsync(original.OrderId, e => e.Count >= 2);
        Assert.IsType<OrderAccepted>(events[0].Event);
        var rejected = Assert.IsType<OrderRejected>(events[1].Event);
        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, rejected.ReasonCode);
        Assert.Equal(2, rejected.Sequence);

        await using var db = fixture.Db();
        var order = await db.Orders.SingleAsync(o => o.OrderId == original.OrderId);
        Assert.Equal((OrderStatus.Received, 10m), (order.Status, order.Quantity!.Value));
        var chain = await db.Outbox.Where(o => o.OrderId == original.OrderId).OrderBy(o => o.OrderSequence).ToListAsync();
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
    }
}

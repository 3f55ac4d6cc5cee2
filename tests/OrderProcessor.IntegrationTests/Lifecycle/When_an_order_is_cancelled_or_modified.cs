using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Lifecycle;

public sealed class When_an_order_is_cancelled_or_modified(When_an_order_is_cancelled_or_modified.Fixture fixture)
    : IClassFixture<When_an_order_is_cancelled_or_modified.Fixture>
{
    /// <summary>A manual market, and status polls slow enough that a cancel reaches IBKR before a fill is seen.</summary>
    public sealed class Fixture : ManualMarketFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Lifecycle:StatusPollInterval"] = "00:00:01.500" };
    }

    private async Task<PlaceOrder> WorkingLimitAsync(int conid)
    {
        fixture.Simulator.Control.PinPrice(conid, 120m);
        var command = TestOrders.Limit(limitPrice: 100m) with { Conid = conid };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        return command;
    }

    [Fact]
    public async Task Should_go_pending_cancel_then_cancelled_before_a_fill()
    {
        var command = await WorkingLimitAsync(2001);

        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = command.OrderId, UserId = "alice", Reason = "trader changed mind" });
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.PendingCancel);
        await fixture.WaitForCancelAtIbkrAsync(command.OrderId);
        fixture.Simulator.Control.Tick();

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled);
        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderCancelled));
        Assert.Equal([nameof(OrderAccepted), nameof(OrderSubmitted), "OrderStatusChanged:Working", "OrderStatusChanged:PendingCancel", nameof(OrderCancelled)],
            fixture.EventNames(command.OrderId));
        Assert.Equal("trader changed mind", ((OrderCancelled)events[^1].Event).Reason);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_end_filled_when_the_fill_wins_the_race_with_the_cancel()
    {
        var command = await WorkingLimitAsync(2002);
        fixture.Simulator.Control.PinPrice(2002, 99m);
        fixture.Simulator.Control.Tick();

        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = command.OrderId, UserId = "alice" });

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        var names = fixture.EventNames(command.OrderId);
        Assert.Equal(nameof(OrderFilled), names[^1]);
        Assert.DoesNotContain(nameof(OrderCancelled), names);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_modify_a_working_limit_order_so_that_it_fills()
    {
        var command = await WorkingLimitAsync(2003);

        await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = command.OrderId, UserId = "alice", LimitPrice = 121m });
        var modified = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderModified));
        Assert.Equal(121m, ((OrderModified)modified.Single(e => e.Event is OrderModified).Event).LimitPrice);
        Assert.Equal(121m, fixture.Simulator.Control.Ledger().Single(l => l.COID == $"op-{command.OrderId:N}").Price);

        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_refuse_a_cancel_of_an_unknown_order_naming_the_field()
    {
        var orderId = Guid.NewGuid();
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = orderId, UserId = "alice" });
        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Count >= 1);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(events).Event);
        Assert.Equal((RejectionReasonCode.NotFound, "orderId", 0L), (rejected.ReasonCode, rejected.Violations[0].Field, rejected.Sequence));
    }
}

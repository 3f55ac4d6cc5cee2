using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_modified
{
    [Fact]
    public void Should_keep_the_change_pending_until_ibkr_accepts_it_then_report_it()
    {
        var order = Lifecycle.Working();
        var request = OrderTransitions.RequestModify(order, new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 99.5m, Quantity = 12 }, Lifecycle.Stamp());
        Assert.True(request.IsEmpty);
        Assert.Equal((OrderWork.Modify, 100m), (order.WorkDue, order.LimitPrice!.Value));

        var done = OrderTransitions.CompleteModify(order, Lifecycle.Accept([order]), Lifecycle.Stamp(), Lifecycle.Settings);

        var modified = Assert.Single(Lifecycle.Events<OrderModified>(done));
        Assert.Equal((99.5m, 12m), (modified.LimitPrice!.Value, modified.Quantity));
        Assert.Equal((99.5m, OrderWork.None), (order.LimitPrice!.Value, order.WorkDue));
        Assert.Null(order.PendingModification);
    }

    [Fact]
    public void Should_refuse_a_price_the_order_type_does_not_have()
    {
        var order = Lifecycle.Working();
        var decision = OrderTransitions.RequestModify(order, new ModifyOrder { OrderId = order.OrderId, UserId = "alice", StopPrice = 90 }, Lifecycle.Stamp());
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal(("stopPrice", "not-allowed"), (rejected.Violations[0].Field, rejected.Violations[0].Rule));
    }

    [Fact]
    public void Should_refuse_an_order_that_is_not_working_at_ibkr()
    {
        var order = Lifecycle.Submitting()[0];
        var decision = OrderTransitions.RequestModify(order, new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 99 }, Lifecycle.Stamp());
        Assert.Equal(RejectionReasonCode.InvalidState, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
    }

    [Fact]
    public void Should_report_ibkrs_refusal_and_keep_the_order_working()
    {
        var order = Lifecycle.Working();
        OrderTransitions.RequestModify(order, new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 50 }, Lifecycle.Stamp());
        var decision = OrderTransitions.CompleteModify(order, new SubmissionRejected(RejectionReasonCode.BrokerRejected, "price band", []), Lifecycle.Stamp(), Lifecycle.Settings);
        Assert.Equal("ModifyOrder", Assert.Single(Lifecycle.Events<OrderRejected>(decision)).Command);
        Assert.Equal((OrderStatus.Working, 100m), (order.Status, order.LimitPrice!.Value));
    }
}

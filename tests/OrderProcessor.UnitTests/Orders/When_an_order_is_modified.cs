using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_modified
{
    private static ModifyRequested Modify(OrderSaga order, decimal? limit = null, decimal? quantity = null, decimal? stop = null) =>
        new(new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = limit, Quantity = quantity, StopPrice = stop });

    [Fact]
    public void Should_keep_the_change_pending_until_ibkr_accepts_it_then_report_it()
    {
        var order = Lifecycle.Working();
        var request = Modify(order, limit: 99.5m, quantity: 12);
        Assert.True(Lifecycle.Apply([order], request).IsEmpty);
        Assert.Equal((OrderWork.Modify, 100m), (order.WorkDue, order.LimitPrice!.Value));

        var (token, _, _) = Lifecycle.Claim([order]);
        var done = Lifecycle.Apply([order], new ModifyAccepted(token, request.Command));

        var modified = Assert.Single(Lifecycle.Events<OrderModified>(done));
        Assert.Equal((99.5m, 12m), (modified.LimitPrice!.Value, modified.Quantity));
        Assert.Equal((99.5m, OrderWork.None), (order.LimitPrice!.Value, order.WorkDue));
        Assert.Null(order.PendingModification);
    }

    [Fact]
    public void Should_refuse_a_price_the_order_type_does_not_have()
    {
        var order = Lifecycle.Working();
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Apply([order], Modify(order, stop: 90))));
        Assert.Equal(("stopPrice", "not-allowed"), (rejected.Violations[0].Field, rejected.Violations[0].Rule));
    }

    [Fact]
    public void Should_refuse_an_order_that_is_not_working_at_ibkr()
    {
        var order = Lifecycle.Submitting().Group[0];
        Assert.Equal(RejectionReasonCode.InvalidState, Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Apply([order], Modify(order, limit: 99)))).ReasonCode);
    }

    [Fact]
    public void Should_report_ibkrs_refusal_and_keep_the_order_working()
    {
        var order = Lifecycle.Working();
        Lifecycle.Apply([order], Modify(order, limit: 50));
        var (token, _, _) = Lifecycle.Claim([order]);
        var decision = Lifecycle.Apply([order], new ModifyRejected(token, RejectionReasonCode.BrokerRejected, "price band", []));
        Assert.Equal("ModifyOrder", Assert.Single(Lifecycle.Events<OrderRejected>(decision)).Command);
        Assert.Equal((OrderStatus.Working, 100m), (order.Status, order.LimitPrice!.Value));
    }

    [Fact]
    public void Should_give_up_after_the_last_attempt_that_did_not_reach_ibkr_and_say_so()
    {
        var order = Lifecycle.Working();
        Lifecycle.Apply([order], Modify(order, limit: 99));
        for (var attempt = 1; attempt <= Lifecycle.Settings.MaxSubmitAttempts; attempt++)
        {
            var (token, work, _) = Lifecycle.Claim([order]);
            Assert.Equal(OrderWork.Modify, work);
            Lifecycle.Apply([order], new ModifyNotSent(token, Lifecycle.Transient()));
        }

        var (_, last, decision) = Lifecycle.Claim([order]);
        Assert.Equal(OrderWork.None, last);
        Assert.Equal("ModifyOrder", Assert.Single(Lifecycle.Events<OrderRejected>(decision)).Command);
        Assert.Equal((OrderStatus.Working, OrderWork.None, (string?)null), (order.Status, order.WorkDue, order.PendingModification));
    }

    [Fact]
    public void Should_refuse_a_second_modification_while_the_first_is_being_sent()
    {
        var order = Lifecycle.Working();
        Lifecycle.Apply([order], Modify(order, limit: 99));
        var (token, _, _) = Lifecycle.Claim([order]);

        var second = Lifecycle.Apply([order], Modify(order, limit: 98));

        Assert.Equal(RejectionReasonCode.InvalidState, Assert.Single(Lifecycle.Events<OrderRejected>(second)).ReasonCode);
        Assert.Equal(token, order.ClaimToken);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 2 of the lifecycle issue: a cancel while Submitting was ignored when the send provably did not reach IBKR.</summary>
public sealed class When_a_cancel_meets_a_submission
{
    [Fact]
    public void Should_cancel_without_sending_when_the_send_did_not_reach_ibkr()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Cancel(group);

        var decision = Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));

        Assert.Equal(["OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_cancel_without_sending_when_reconciliation_proves_the_order_absent()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        Lifecycle.Cancel(group);

        Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));
        var decision = Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));

        Assert.Equal(["OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal(OrderStatus.Cancelled, group[0].Status);
    }

    [Fact]
    public void Should_cancel_at_once_when_a_resend_is_due()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));
        Assert.Equal(OrderWork.Submit, group[0].WorkDue);

        var decision = Lifecycle.Cancel(group);

        Assert.Equal(["OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal(OrderWork.None, Lifecycle.Claim(group).Work);
    }

    [Fact]
    public void Should_cancel_at_ibkr_when_reconciliation_finds_the_order()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        Lifecycle.Cancel(group);
        var leader = group[0];

        var found = new Dictionary<string, BrokerOrderObservation> { [leader.ClientOrderId] = Lifecycle.Seen(leader, "Submitted") with { BrokerOrderId = "88" } };
        Lifecycle.Apply(group, new ReconcileRead(Lifecycle.Claim(group).Token, found));

        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel, "88"), (leader.Status, leader.WorkDue, leader.BrokerOrderId));
    }

    [Fact]
    public void Should_cancel_an_order_whose_cancel_overtook_its_place_order()
    {
        var command = When_a_place_order_is_validated.Valid();
        OrderPlacement.CancelUnknown(new CancelOrder { OrderId = command.OrderId, UserId = command.UserId, Reason = "changed my mind" }, Lifecycle.Stamp(), TimeSpan.FromDays(7), out var kept);

        var decision = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Lifecycle.Stamp(), new Dictionary<Guid, EarlyCancel> { [command.OrderId] = kept! });

        var order = Assert.Single(decision.Created);
        Assert.Equal(["OrderAccepted", "OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.Cancelled, OrderWork.None, "changed my mind"), (order.Status, order.WorkDue, order.CancelReason));
    }

    [Fact]
    public void Should_not_let_another_users_early_cancel_cancel_the_order()
    {
        var command = When_a_place_order_is_validated.Valid();
        OrderPlacement.CancelUnknown(new CancelOrder { OrderId = command.OrderId, UserId = "mallory" }, Lifecycle.Stamp(), TimeSpan.FromDays(7), out var kept);

        var order = Assert.Single(OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Lifecycle.Stamp(), new Dictionary<Guid, EarlyCancel> { [command.OrderId] = kept! }).Created);

        Assert.Equal((OrderStatus.Received, OrderWork.Submit), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_leave_out_a_leg_whose_cancel_overtook_the_place_order()
    {
        var command = Lifecycle.Bracket();
        var stopLoss = command.StopLoss!.OrderId;
        OrderPlacement.CancelUnknown(new CancelOrder { OrderId = stopLoss, UserId = command.UserId }, Lifecycle.Stamp(), TimeSpan.FromDays(7), out var kept);

        var created = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Lifecycle.Stamp(), new Dictionary<Guid, EarlyCancel> { [stopLoss] = kept! }).Created;
        var group = created.OrderBy(o => o.SubmittedWithOrderId is null ? 0 : 1).ToList();
        var (_, work, _) = Lifecycle.Claim(group);

        Assert.Equal(OrderStatus.Cancelled, created.Single(o => o.OrderId == stopLoss).Status);
        Assert.Equal(OrderWork.Submit, work);
        Assert.Equal(2, group.Count(o => o.Status == OrderStatus.Submitting));
    }

    [Fact]
    public void Should_cancel_every_member_of_a_group_whose_leader_was_cancelled_while_it_was_being_sent()
    {
        var command = When_a_place_order_is_validated.Valid() with
        {
            OcaGroup = new OcaGroup
            {
                Name = "exit",
                Orders = [new OrderLeg { OrderId = Guid.NewGuid(), Side = OrderSide.Sell, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 110 }],
            },
        };
        var (token, group) = Lifecycle.Submitting(command);
        Lifecycle.Cancel(group);

        Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        Assert.All(group, o => Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (o.Status, o.WorkDue)));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 1 of the lifecycle issue: a cancel during the margin check was undone and the order placed.</summary>
public sealed class When_a_cancel_meets_a_margin_check
{
    private static readonly WhatIfFigures Approving = new("USD", new MarginFigure(0, 10, 10), new MarginFigure(0, 8, 8), new MarginFigure(1000, 0, 1000), 1, 100, null, null);

    private static (Guid Token, List<OrderSaga> Group) Checking()
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { MarginCheck = MarginCheckPolicy.RejectOnExcessInitialMargin });
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.CheckMargin, work);
        return (token, group);
    }

    [Fact]
    public void Should_never_place_the_order_when_the_what_if_answers_after_the_cancel()
    {
        var (token, group) = Checking();
        Lifecycle.Cancel(group);

        var late = Lifecycle.Apply(group, new MarginChecked(token, Approving));

        Assert.True(late.IsEmpty);
        Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (group[0].Status, group[0].WorkDue));
        Assert.Equal(OrderWork.None, Lifecycle.Claim(group).Work);
    }

    [Fact]
    public void Should_stay_cancelled_when_the_what_if_fails_after_the_cancel()
    {
        var (token, group) = Checking();
        Lifecycle.Cancel(group);

        Assert.True(Lifecycle.Apply(group, new ReadFailed(token, Lifecycle.Transient())).IsEmpty);
        Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_ignore_a_slow_what_if_that_answers_after_its_lease_was_taken_over_and_the_order_sent()
    {
        var (slow, group) = Checking();
        var (second, work, _) = Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.WorkLease));
        Assert.Equal(OrderWork.CheckMargin, work);
        Lifecycle.Apply(group, new MarginChecked(second, Approving));
        var send = Lifecycle.Claim(group).Token;
        Lifecycle.Apply(group, Lifecycle.Accept(send, group));
        var sequence = group[0].LastEventSequence;

        var late = Lifecycle.Apply(group, new MarginChecked(slow, Approving));

        Assert.True(late.IsEmpty);
        Assert.Equal((OrderStatus.Submitted, OrderWork.None, sequence), (group[0].Status, group[0].WorkDue, group[0].LastEventSequence));
    }
}

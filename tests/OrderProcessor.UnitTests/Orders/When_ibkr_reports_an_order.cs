using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_ibkr_reports_an_order
{
    [Fact]
    public void Should_go_from_submitted_to_working_once()
    {
        var order = Lifecycle.Submitted()[0];
        var first = Lifecycle.Observe(order, "Submitted");
        var again = Lifecycle.Observe(order, "Submitted");

        var changed = Assert.Single(Lifecycle.Events<OrderStatusChanged>(first));
        Assert.Equal((OrderStatus.Submitted, OrderStatus.Working), (changed.PreviousStatus, changed.Status));
        Assert.True(again.IsEmpty);
    }

    [Fact]
    public void Should_report_partial_fills_then_the_fill_each_once()
    {
        var order = Lifecycle.Working();
        var partial = Lifecycle.Observe(order, "Submitted", 4, 100.5m);
        var repeated = Lifecycle.Observe(order, "Submitted", 4, 100.5m);
        var filled = Lifecycle.Observe(order, "Filled", 10, 100.7m);

        var p = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(partial));
        Assert.Equal((4m, 6m, 100.5m), (p.FilledQuantity, p.RemainingQuantity, p.AveragePrice!.Value));
        Assert.True(repeated.IsEmpty);
        var f = Assert.Single(Lifecycle.Events<OrderFilled>(filled));
        Assert.Equal((10m, 100.7m), (f.FilledQuantity, f.AveragePrice!.Value));
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_ignore_an_older_observation_that_arrives_late()
    {
        var order = Lifecycle.Working();
        Lifecycle.Observe(order, "Submitted", 6, 100m);
        var late = Lifecycle.Observe(order, "Submitted", 2, 99m);

        Assert.True(late.IsEmpty);
        Assert.Equal((6m, 100m), (order.FilledQuantity, order.AveragePrice!.Value));
    }

    [Fact]
    public void Should_keep_a_final_order_final()
    {
        var order = Lifecycle.Working();
        Lifecycle.Observe(order, "Filled", 10, 100m);
        var sequence = order.LastEventSequence;

        Assert.True(Lifecycle.Observe(order, "Cancelled", 10).IsEmpty);
        Assert.True(Lifecycle.Observe(order, "Submitted", 3).IsEmpty);
        Assert.True(Lifecycle.Apply([order], Unlisted.Instance).IsEmpty);
        Assert.Equal((OrderStatus.Filled, sequence), (order.Status, order.LastEventSequence));
    }

    [Fact]
    public void Should_report_a_fill_that_happened_before_the_first_status_was_seen()
    {
        var order = Lifecycle.Submitted()[0];
        Assert.Equal(["OrderFilled"], Lifecycle.EventNames(Lifecycle.Observe(order, "Filled", 10, 99.9m)));
    }

    [Fact]
    public void Should_not_call_an_order_filled_until_ibkr_says_so()
    {
        var order = Lifecycle.Working();
        var decision = Lifecycle.Observe(order, "Submitted", order.Quantity!.Value, 100m);
        Assert.Equal(["OrderPartiallyFilled"], Lifecycle.EventNames(decision));
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
    }

    [Fact]
    public void Should_leave_an_order_being_sent_to_its_send_when_a_poll_sees_it()
    {
        var (token, group) = Lifecycle.Submitting();
        var order = group[0];

        // The poll sees one order; the send's answer (or the group's reconciliation) settles the whole group.
        Assert.True(Lifecycle.Apply([order], new Observed(Lifecycle.Seen(order, "PreSubmitted") with { BrokerOrderId = "4242" })).IsEmpty);
        Assert.Equal((OrderStatus.Submitting, token), (order.Status, order.ClaimToken!.Value));

        var answer = Lifecycle.Apply(group, Lifecycle.Accept(token, group));
        Assert.Equal(["OrderSubmitted"], Lifecycle.EventNames(answer));
        Assert.Equal((OrderStatus.Submitted, OrderWork.None, (Guid?)null), (order.Status, order.WorkDue, order.ClaimToken));
    }

    [Fact]
    public void Should_reject_an_order_the_destination_made_inactive()
    {
        var order = Lifecycle.Working();
        Assert.Equal(RejectionReasonCode.BrokerRejected, Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Observe(order, "Inactive"))).ReasonCode);
    }

    [Fact]
    public void Should_read_a_list_that_names_an_order_twice_as_its_most_advanced_entry()
    {
        var order = Lifecycle.Working();
        var working = Lifecycle.Seen(order, "Submitted", 2);
        var filled = Lifecycle.Seen(order, "Filled", 10, 100m);
        Assert.Equal(filled, BrokerOrderObservation.MostAdvanced(working, filled));
        Assert.Equal(filled, BrokerOrderObservation.MostAdvanced(filled, working));
    }
}

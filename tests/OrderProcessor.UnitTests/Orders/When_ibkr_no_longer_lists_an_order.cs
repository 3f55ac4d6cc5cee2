using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 5 of the lifecycle issue: orders that ended in an earlier session were polled forever.</summary>
public sealed class When_ibkr_no_longer_lists_an_order
{
    private static (Guid Token, OrderSaga Order) Unlisted(TimeInForce tif = TimeInForce.Day, bool cancelling = false)
    {
        var order = Lifecycle.Submitted(When_a_place_order_is_validated.Valid() with { TimeInForce = tif })[0];
        Lifecycle.Observe(order, "Submitted");
        if (cancelling)
        {
            Lifecycle.Cancel([order]);
            var (cancel, _, _) = Lifecycle.Claim([order]);
            Lifecycle.Apply([order], new CancelSent(cancel));
            Lifecycle.Observe(order, "PendingCancel");
        }

        for (var poll = 1; poll < Lifecycle.Settings.UnlistedPollsBeforeSettle; poll++)
        {
            Lifecycle.Apply([order], global::OrderProcessor.Orders.Unlisted.Instance);
            Assert.NotEqual(OrderWork.Settle, order.WorkDue);
        }

        Lifecycle.Apply([order], global::OrderProcessor.Orders.Unlisted.Instance);
        Assert.Equal(OrderWork.Settle, order.WorkDue);
        var (token, work, _) = Lifecycle.Claim([order], Lifecycle.StampAfter(TimeSpan.FromDays(1)));
        Assert.Equal(OrderWork.Settle, work);
        return (token, order);
    }

    [Fact]
    public void Should_settle_it_filled_when_its_trades_add_up()
    {
        var (token, order) = Unlisted(TimeInForce.GoodTillCancelled);
        var decision = Lifecycle.Apply([order], new SettleRead(token, 10, 101m, "1000", TradesCoverItsLife: true));
        var filled = Assert.Single(Lifecycle.Events<OrderFilled>(decision));
        Assert.Equal((10m, 101m, OrderStatus.Filled), (filled.FilledQuantity, filled.AveragePrice!.Value, order.Status));
    }

    [Fact]
    public void Should_settle_a_day_order_of_an_earlier_day_cancelled_with_what_filled()
    {
        var (token, order) = Unlisted(TimeInForce.Day);
        var decision = Lifecycle.Apply([order], new SettleRead(token, 4, 100m, "1000", TradesCoverItsLife: true));
        Assert.Equal(["OrderPartiallyFilled", "OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.Cancelled, 4m), (order.Status, order.FilledQuantity));
    }

    [Fact]
    public void Should_settle_an_order_being_cancelled_cancelled()
    {
        var (token, order) = Unlisted(TimeInForce.GoodTillCancelled, cancelling: true);
        Lifecycle.Apply([order], new SettleRead(token, 0, null, null, TradesCoverItsLife: true));
        Assert.Equal((OrderStatus.Cancelled, "client asked"), (order.Status, order.CancelReason));
    }

    [Fact]
    public void Should_hand_an_order_ibkr_cannot_account_for_to_an_operator_instead_of_polling_it_forever()
    {
        var (token, order) = Unlisted(TimeInForce.GoodTillCancelled);
        var decision = Lifecycle.Apply([order], new SettleRead(token, 3, 99m, "1000", TradesCoverItsLife: true));
        Assert.Equal(["OrderPartiallyFilled", "OrderStatusChanged"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.NeedsAttention, OrderWork.None, 3m), (order.Status, order.WorkDue, order.FilledQuantity));
    }

    [Fact]
    public void Should_hand_an_order_older_than_the_trades_reach_to_an_operator()
    {
        var (token, order) = Unlisted(TimeInForce.Day);
        Lifecycle.Apply([order], new SettleRead(token, 0, null, null, TradesCoverItsLife: false));
        Assert.Equal(OrderStatus.NeedsAttention, order.Status);
    }

    [Fact]
    public void Should_stop_settling_when_the_order_is_listed_again()
    {
        var order = Lifecycle.Working();
        for (var poll = 1; poll < Lifecycle.Settings.UnlistedPollsBeforeSettle; poll++)
        {
            Lifecycle.Apply([order], global::OrderProcessor.Orders.Unlisted.Instance);
        }

        Lifecycle.Observe(order, "Submitted");
        Lifecycle.Apply([order], global::OrderProcessor.Orders.Unlisted.Instance);
        Assert.Equal((OrderWork.None, 1), (order.WorkDue, order.UnlistedPolls));
    }

    [Fact]
    public void Should_void_a_settlement_under_way_when_the_order_is_listed_again()
    {
        var (token, order) = Unlisted(TimeInForce.Day);
        Lifecycle.Observe(order, "Submitted");

        var late = Lifecycle.Apply([order], new SettleRead(token, 0, null, null, TradesCoverItsLife: true));

        Assert.True(late.IsEmpty);
        Assert.Equal((OrderStatus.Working, OrderWork.None), (order.Status, order.WorkDue));
    }
}

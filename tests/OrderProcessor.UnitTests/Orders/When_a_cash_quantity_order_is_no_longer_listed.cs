using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// A cash-quantity order IBKR no longer lists is settled from the trades, which give its fills but not how many units its
/// cash came to: the trades alone never call it filled, nor cancelled with fills that may have been all of it.
/// </summary>
public sealed class When_a_cash_quantity_order_is_no_longer_listed
{
    private static (Guid Token, OrderSaga Order) Unlisted()
    {
        var order = CashQuantityOrders.Working();
        for (var poll = 0; poll < Lifecycle.Settings.UnlistedPollsBeforeSettle; poll++)
        {
            Lifecycle.Apply([order], global::OrderProcessor.Orders.Unlisted.Instance);
        }

        var (token, work, _) = Lifecycle.Claim([order], Lifecycle.StampAfter(TimeSpan.FromDays(1)));
        Assert.Equal(OrderWork.Settle, work);
        return (token, order);
    }

    [Fact]
    public void Should_hand_it_to_an_operator_with_what_its_trades_show_filled()
    {
        var (token, order) = Unlisted();

        var decision = Lifecycle.Apply([order], new SettleRead(token, 2.6690m, 187.33m, "1000", TradesCoverItsLife: true));

        var partial = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(decision));
        Assert.Equal((2.6690m, 499.98m), (partial.FilledQuantity, partial.FilledCashAmount!.Value));
        Assert.Empty(Lifecycle.Events<OrderFilled>(decision));
        Assert.Empty(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal(OrderStatus.NeedsAttention, order.Status);
        Assert.Contains("a cash quantity of 500.00", order.LastReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_settle_a_day_order_of_an_earlier_day_that_filled_nothing_cancelled()
    {
        var (token, order) = Unlisted();

        var decision = Lifecycle.Apply([order], new SettleRead(token, 0m, null, null, TradesCoverItsLife: true));

        Assert.Equal(["OrderCancelled"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.Cancelled, 0m), (order.Status, order.FilledQuantity));
    }
}

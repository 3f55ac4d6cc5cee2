using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Lifecycle;

public sealed class When_each_order_type_goes_to_ibkr(ManualMarketFixture fixture) : IClassFixture<ManualMarketFixture>
{
    private static readonly string[] SubmittedWorking = [nameof(OrderAccepted), nameof(OrderSubmitted), "OrderStatusChanged:Working"];

    private async Task<PlaceOrder> PlaceAndWaitWorkingAsync(PlaceOrder command)
    {
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        return command;
    }

    private async Task AssertFilledAfterTickAsync(PlaceOrder command, int conid, decimal price)
    {
        fixture.Simulator.Control.PinPrice(conid, price);
        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        Assert.Equal([.. SubmittedWorking, nameof(OrderFilled)], fixture.EventNames(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_fill_a_market_order()
    {
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market() with { Conid = 1001 });
        await AssertFilledAfterTickAsync(command, 1001, 50m);
    }

    [Fact]
    public async Task Should_work_a_limit_order_until_the_price_crosses_it()
    {
        fixture.Simulator.Control.PinPrice(1002, 110m);
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Limit(limitPrice: 107m) with { Conid = 1002 });
        fixture.Simulator.Control.Tick();
        await Task.Delay(600);
        Assert.Equal(SubmittedWorking, fixture.EventNames(command.OrderId));
        await AssertFilledAfterTickAsync(command, 1002, 106.9m);
    }

    [Fact]
    public async Task Should_trigger_a_stop_loss()
    {
        fixture.Simulator.Control.PinPrice(1003, 100m);
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market() with
        {
            Conid = 1003,
            Side = OrderSide.Sell,
            OrderType = OrderType.Stop,
            StopPrice = 95m,
        });
        await AssertFilledAfterTickAsync(command, 1003, 94m);
    }

    [Fact]
    public async Task Should_trigger_a_stop_limit_order_and_fill_it_at_its_limit()
    {
        fixture.Simulator.Control.PinPrice(1004, 100m);
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market() with
        {
            Conid = 1004,
            Side = OrderSide.Buy,
            OrderType = OrderType.StopLimit,
            StopPrice = 102m,
            LimitPrice = 102.5m,
        });
        fixture.Simulator.Control.PinPrice(1004, 102.2m);
        fixture.Simulator.Control.Tick();
        await AssertFilledAfterTickAsync(command, 1004, 102.2m);
    }

    [Fact]
    public async Task Should_fill_a_trailing_stop_when_the_price_falls_back_by_the_trail()
    {
        fixture.Simulator.Control.PinPrice(1005, 100m);
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market() with
        {
            Conid = 1005,
            Side = OrderSide.Sell,
            OrderType = OrderType.TrailingStop,
            StopPrice = 98m,
            TrailingAmount = 2m,
            TrailingUnit = TrailingUnit.Amount,
        });
        fixture.Simulator.Control.PinPrice(1005, 105m);
        fixture.Simulator.Control.Tick();
        await AssertFilledAfterTickAsync(command, 1005, 102.5m);
    }

    [Fact]
    public async Task Should_fill_a_trailing_stop_limit()
    {
        fixture.Simulator.Control.PinPrice(1006, 100m);
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market() with
        {
            Conid = 1006,
            Side = OrderSide.Sell,
            OrderType = OrderType.TrailingStopLimit,
            StopPrice = 98m,
            LimitPrice = 97m,
            TrailingAmount = 2m,
            TrailingUnit = TrailingUnit.Percent,
        });
        fixture.Simulator.Control.PinPrice(1006, 97.5m);
        fixture.Simulator.Control.Tick();
        await AssertFilledAfterTickAsync(command, 1006, 97.5m);
    }

    [Fact]
    public async Task Should_report_a_partial_fill_before_the_fill_of_a_large_order()
    {
        var command = await PlaceAndWaitWorkingAsync(TestOrders.Market(quantity: 300) with { Conid = 1007 });
        fixture.Simulator.Control.PinPrice(1007, 40m);
        fixture.Simulator.Control.Tick();
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderPartiallyFilled));
        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        Assert.Equal([.. SubmittedWorking, nameof(OrderPartiallyFilled), nameof(OrderFilled)], fixture.EventNames(command.OrderId));
        Assert.Equal((150m, 150m), (((OrderPartiallyFilled)events[3].Event).FilledQuantity, ((OrderPartiallyFilled)events[3].Event).RemainingQuantity));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_place_a_bracket_in_one_request_and_cancel_the_stop_loss_when_the_take_profit_fills()
    {
        fixture.Simulator.Control.PinPrice(1008, 100m);
        var command = TestOrders.Limit(limitPrice: 100m) with
        {
            Conid = 1008,
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95m },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110m },
        };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);

        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        fixture.Simulator.Control.Tick();
        fixture.Simulator.Control.PinPrice(1008, 111m);
        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.TakeProfit.OrderId, OrderStatus.Filled);
        await fixture.WaitForStatusAsync(command.StopLoss.OrderId, OrderStatus.Cancelled);

        await fixture.Downstream.WaitForAsync(command.StopLoss.OrderId, e => e.Any(x => x.Event is OrderCancelled));
        await fixture.Downstream.WaitForAsync(command.TakeProfit.OrderId, e => e.Any(x => x.Event is OrderFilled));
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        Assert.Equal([.. SubmittedWorking, nameof(OrderFilled)], fixture.EventNames(command.OrderId));
        Assert.Equal([nameof(OrderAccepted), nameof(OrderSubmitted)], fixture.EventNames(command.TakeProfit.OrderId).Take(2));
        Assert.Equal(nameof(OrderFilled), fixture.EventNames(command.TakeProfit.OrderId)[^1]);
        Assert.Equal(nameof(OrderCancelled), fixture.EventNames(command.StopLoss.OrderId)[^1]);
        var ledger = fixture.Simulator.Control.Ledger();
        Assert.Equal($"op-{command.OrderId:N}", ledger.Single(l => l.COID == $"op-{command.StopLoss.OrderId:N}").ParentId);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId, command.StopLoss.OrderId, command.TakeProfit.OrderId]);
    }

    [Fact]
    public async Task Should_cancel_the_other_order_of_an_oca_pair_when_one_fills()
    {
        fixture.Simulator.Control.PinPrice(1009, 100m);
        fixture.Simulator.Control.PinPrice(1010, 50m);
        var other = new OrderLeg { OrderId = Guid.NewGuid(), Conid = 1010, Side = OrderSide.Buy, Quantity = 5, OrderType = OrderType.Limit, LimitPrice = 45m };
        var command = TestOrders.Limit(limitPrice: 95m) with { Conid = 1009, OcaGroup = new OcaGroup { Name = "pair-" + Guid.NewGuid().ToString("N")[..8], Orders = [other] } };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        await fixture.WaitForStatusAsync(other.OrderId, OrderStatus.Working);

        fixture.Simulator.Control.PinPrice(1010, 44m);
        fixture.Simulator.Control.Tick();

        await fixture.WaitForStatusAsync(other.OrderId, OrderStatus.Filled);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled);
        var pair = fixture.Simulator.Control.Ledger().Where(l => l.COID == $"op-{command.OrderId:N}" || l.COID == $"op-{other.OrderId:N}").ToList();
        Assert.Equal(2, pair.Count);
        Assert.NotNull(pair[0].OcaGroup);
        Assert.Equal(pair[0].OcaGroup, pair[1].OcaGroup);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId, other.OrderId]);
    }
}

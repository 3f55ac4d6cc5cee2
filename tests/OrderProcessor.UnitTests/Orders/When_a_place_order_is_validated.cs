using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_a_place_order_is_validated
{
    internal static PlaceOrder Valid() => new()
    {
        OrderId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1234567",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 10,
        OrderType = OrderType.Limit,
        LimitPrice = 100m,
        TimeInForce = TimeInForce.Day,
    };

    [Fact]
    public void Should_pass_a_complete_limit_order() => Assert.Empty(PlaceOrderValidator.Validate(Valid()));

    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "empty order id", Valid() with { OrderId = Guid.Empty }, "orderId", "required" },
        { "no user", Valid() with { UserId = " " }, "userId", "required" },
        { "user id too long", Valid() with { UserId = new string('u', 65) }, "userId", "max-length" },
        { "control characters", Valid() with { AccountId = "DU1\n" }, "accountId", "printable" },
        { "no conid", Valid() with { Conid = null }, "conid", "required" },
        { "negative conid", Valid() with { Conid = -5 }, "conid", "positive" },
        { "no side", Valid() with { Side = null }, "side", "required" },
        { "unknown side", Valid() with { Side = (OrderSide)7 }, "side", "one-of" },
        { "quantity zero", Valid() with { Quantity = 0 }, "quantity", "positive" },
        { "negative quantity", Valid() with { Quantity = -1 }, "quantity", "positive" },
        { "absurd quantity", Valid() with { Quantity = 1e12m }, "quantity", "max" },
        { "too many decimals", Valid() with { Quantity = 1.00001m }, "quantity", "max-decimals" },
        { "unknown order type", Valid() with { OrderType = LenientEnumConverter<OrderType>.Unrecognised }, "orderType", "one-of" },
        { "limit without price", Valid() with { LimitPrice = null }, "limitPrice", "required" },
        { "market with a price", Valid() with { OrderType = OrderType.Market }, "limitPrice", "not-allowed" },
        { "stop without stop price", Valid() with { OrderType = OrderType.Stop, LimitPrice = null }, "stopPrice", "required" },
        { "price with too many decimals", Valid() with { LimitPrice = 100.0000001m }, "limitPrice", "max-decimals" },
        { "no time in force", Valid() with { TimeInForce = null }, "timeInForce", "required" },
        { "opg on a stop order", Valid() with { OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 90, TimeInForce = TimeInForce.AtTheOpening }, "timeInForce", "opg-market-or-limit" },
        { "trailing without unit", Valid() with { OrderType = OrderType.TrailingStop, LimitPrice = null, StopPrice = 90, TrailingAmount = 1 }, "trailingUnit", "required" },
        { "trailing 100 %", Valid() with { OrderType = OrderType.TrailingStop, LimitPrice = null, StopPrice = 90, TrailingAmount = 100, TrailingUnit = TrailingUnit.Percent }, "trailingAmount", "percent-below-100" },
        { "buy stop-limit below its stop", Valid() with { OrderType = OrderType.StopLimit, LimitPrice = 95, StopPrice = 100 }, "limitPrice", "stop-limit-order" },
        { "stop-loss above a buy entry", Valid() with { StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 105 } }, "stopLoss.price", "bracket-side" },
        { "take-profit below a buy entry", Valid() with { TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 } }, "takeProfit.price", "bracket-side" },
        { "leg without id", Valid() with { StopLoss = new AttachedOrder { Price = 95 } }, "stopLoss.orderId", "required" },
        { "leg without price", Valid() with { StopLoss = new AttachedOrder { OrderId = Guid.NewGuid() } }, "stopLoss.price", "required" },
        { "bracket on a stop parent", Valid() with { OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 101, TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 120 } }, "orderType", "bracket-parent" },
        { "oca without orders", Valid() with { OcaGroup = new OcaGroup { Name = "g1", Orders = [] } }, "ocaGroup.orders", "required" },
        { "oca without name", Valid() with { OcaGroup = new OcaGroup { Orders = [new OrderLeg { OrderId = Guid.NewGuid(), Side = OrderSide.Sell, Quantity = 1, OrderType = OrderType.Market }] } }, "ocaGroup.name", "required" },
        { "oca member without side", Valid() with { OcaGroup = new OcaGroup { Name = "g1", Orders = [new OrderLeg { OrderId = Guid.NewGuid(), Quantity = 1, OrderType = OrderType.Market }] } }, "ocaGroup.orders[0].side", "required" },
        { "unknown margin policy", Valid() with { MarginCheck = (MarginCheckPolicy)9 }, "marginCheck", "one-of" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_name_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule)
    {
        var violations = PlaceOrderValidator.Validate(command);
        Assert.True(violations.Any(v => v.Field == field && v.Rule == rule),
            $"{scenario}: expected {field}/{rule}, got [{string.Join("; ", violations.Select(v => $"{v.Field}/{v.Rule}"))}]");
        Assert.All(violations, v => Assert.Contains(v.Field, v.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_reject_a_shared_id_between_the_parent_and_a_leg()
    {
        var command = Valid();
        var violations = PlaceOrderValidator.Validate(command with { StopLoss = new AttachedOrder { OrderId = command.OrderId, Price = 95 } });
        Assert.Contains(violations, v => v.Field == "stopLoss.orderId" && v.Rule == "unique");
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_margin_check_is_validated
{
    private static MarginCheck Check() => new()
    {
        CheckId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1234567",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 10,
        OrderType = OrderType.Limit,
        LimitPrice = 100,
    };

    public static TheoryData<string, MarginCheck, string, string> Broken => new()
    {
        { "no check id", Check() with { CheckId = Guid.Empty }, "checkId", "required" },
        { "neither quantity nor cash quantity", Check() with { Quantity = null }, "quantity", "quantity-or-cash-quantity" },
        { "a cash quantity on a stop", Check() with { Quantity = null, CashQuantity = 500, OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 90 }, "cashQuantity", "cash-quantity-order-type" },
        { "a future without manualIndicator", Check() with { SecurityType = SecurityType.Future, Quantity = 1 }, "manualIndicator", "manual-indicator-required" },
        { "Adaptive without a priority", Check() with { Algo = new ExecutionAlgo { Strategy = "Adaptive" } }, "algo.parameters.adaptivePriority", "algo-parameter" },
        { "MIDPRICE on an option", Check() with { SecurityType = SecurityType.Option, OrderType = OrderType.MidPrice, LimitPrice = null }, "orderType", "option-order-type" },
        { "a currency conversion of a stock", Check() with { CurrencyConversion = true }, "currencyConversion", "currency-conversion-security-type" },
        { "all-or-none immediate-or-cancel", Check() with { AllOrNone = true, TimeInForce = TimeInForce.ImmediateOrCancel }, "allOrNone", "all-or-none-ioc" },
        { "PAX", Check() with { TimeInForce = TimeInForce.Pax }, "timeInForce", "not-supported" },
    };

    public static TheoryData<string, MarginCheck> Valid => new()
    {
        { "a limit order without a time in force (DAY)", Check() },
        { "$500 of a stock", Check() with { Quantity = null, CashQuantity = 500, OrderType = OrderType.Market, LimitPrice = null } },
        { "a future entered by a system", Check() with { SecurityType = SecurityType.Future, Quantity = 1, ManualIndicator = false } },
        { "Adaptive", Check() with { Algo = Adaptive() } },
        { "MIDPRICE", Check() with { OrderType = OrderType.MidPrice, LimitPrice = null } },
        { "a currency conversion", Check() with { Conid = EurUsd, SecurityType = SecurityType.Currency, Conidex = $"{EurUsd}@IDEALPRO", CurrencyConversion = true } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_by_the_rules_of_a_placed_order(string scenario, MarginCheck check, string field, string rule) =>
        Refused(StandaloneMarginCheck.Validate(check), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_each_shape_a_placed_order_may_have(string scenario, MarginCheck check) => Passes(StandaloneMarginCheck.Validate(check), scenario);

    [Fact]
    public void Should_judge_the_same_terms_as_the_order_it_asks_about()
    {
        // The check and the PlaceOrder of the same ticket break the same rules (the PlaceOrder also needs a time in force).
        var check = Check() with { SecurityType = SecurityType.Future, Quantity = 1.5m, Algo = Adaptive(), TimeInForce = TimeInForce.Overnight };
        var order = Stock() with
        {
            SecurityType = check.SecurityType,
            Quantity = check.Quantity,
            Algo = check.Algo,
            TimeInForce = check.TimeInForce,
        };
        static string[] Rules(IEnumerable<FieldViolation> violations) => [.. violations.Select(v => $"{v.Field}/{v.Rule}").Order(StringComparer.Ordinal)];
        Assert.Equal(Rules(PlaceOrderValidator.Validate(order)), Rules(StandaloneMarginCheck.Validate(check)));
        Assert.Contains("quantity/fractional-security-type", Rules(StandaloneMarginCheck.Validate(check)));
    }
}

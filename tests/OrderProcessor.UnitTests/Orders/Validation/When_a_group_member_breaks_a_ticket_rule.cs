using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

/// <summary>
/// Bracket legs and OCA members are judged by the same ticket rules as the order that carries them: a field the member
/// spells itself is named by its path; one it takes from the parent is named as the sender spelled it, once.
/// </summary>
public sealed class When_a_group_member_breaks_a_ticket_rule
{
    private static PlaceOrder WithMember(PlaceOrder parent, OrderLeg member) => parent with { OcaGroup = new OcaGroup { Name = "g1", Orders = [member] } };

    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "an OCA stop of an overnight order", WithMember(Stock() with { TimeInForce = TimeInForce.Overnight }, Member()), "timeInForce", "overnight-order-type" },
        { "an OCA trailing stop of an option", WithMember(Option(), Member() with { OrderType = OrderType.TrailingStop, TrailingAmount = 1, TrailingUnit = TrailingUnit.Amount }), "ocaGroup.orders[0].orderType", "option-order-type" },
        { "an OCA MIDPRICE of a future", WithMember(Future(), Member() with { OrderType = OrderType.MidPrice, StopPrice = null }), "ocaGroup.orders[0].orderType", "midprice-security-type" },
        { "an OCA stop in the opening auction", WithMember(Stock() with { TimeInForce = TimeInForce.AtTheOpening }, Member()), "timeInForce", "opg-market-or-limit" },
        { "a stop-loss leg without price", Stock() with { StopLoss = new AttachedOrder { OrderId = Guid.NewGuid() } }, "stopLoss.price", "required" },
        { "a take-profit leg with too many decimals", Stock() with { TakeProfit = Leg(110.0000001m) }, "takeProfit.price", "max-decimals" },
        { "an OCA member of a futures group on another contract", WithMember(Future(), Member() with { Conid = 495512552, Quantity = 1 }), "ocaGroup.orders[0].conid", "oca-other-contract-security-type" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_name_the_field_as_the_sender_spelled_it(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Fact]
    public void Should_say_a_rule_the_parent_and_its_members_break_together_once()
    {
        var command = WithMember(Future() with { ManualIndicator = null }, Member() with { Quantity = 1 });
        var violation = Assert.Single(PlaceOrderValidator.Validate(command));
        Assert.Equal(("manualIndicator", "manual-indicator-required"), (violation.Field, violation.Rule));
    }

    [Fact]
    public void Should_pass_a_valid_bracket_and_a_valid_group_of_every_member_type()
    {
        Passes(PlaceOrderValidator.Validate(Stock() with { StopLoss = Leg(90), TakeProfit = Leg(110) }), "bracket");
        Passes(PlaceOrderValidator.Validate(WithMember(Future(), Member() with { Quantity = 1 })), "future OCA");
        Passes(PlaceOrderValidator.Validate(WithMember(Stock(), Member() with { Conid = 8314 })), "OCA on another contract");
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_an_algo_is_validated
{
    private static Dictionary<string, string> Many(int count) =>
        Enumerable.Range(0, count).ToDictionary(i => $"p{i}", _ => "x");

    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "an algo without a strategy", Stock() with { Algo = new ExecutionAlgo() }, "algo.strategy", "required" },
        { "an unknown strategy", Stock() with { Algo = new ExecutionAlgo { Strategy = "Vwap" } }, "algo.strategy", "algo-strategy" },
        { "a strategy in the wrong case", Stock() with { Algo = Adaptive() with { Strategy = "adaptive" } }, "algo.strategy", "algo-strategy" },
        { "Adaptive without a priority", Stock() with { Algo = Adaptive() with { Parameters = null } }, "algo.parameters.adaptivePriority", "algo-parameter" },
        { "Adaptive with an unknown priority", Stock() with { Algo = Adaptive("Fast") }, "algo.parameters.adaptivePriority", "algo-parameter" },
        { "Adaptive with a priority in the wrong case", Stock() with { Algo = Adaptive("normal") }, "algo.parameters.adaptivePriority", "algo-parameter" },
        { "Adaptive with a parameter it does not take", Stock() with { Algo = Adaptive() with { Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal", ["maxPctVol"] = "0.1" } } }, "algo.parameters", "algo-parameter" },
        { "eleven parameters", Stock() with { Algo = Adaptive() with { Parameters = Many(11) } }, "algo.parameters", "max-count" },
        { "a parameter value of 65 characters", Stock() with { Algo = Adaptive(new string('N', 65)) }, "algo.parameters", "max-length" },
        { "Adaptive on a stop order", Stock() with { Algo = Adaptive(), OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 95 }, "algo", "algo-order-type" },
        { "Adaptive on a MIDPRICE order", MidPrice() with { Algo = Adaptive() }, "algo", "algo-order-type" },
        { "Adaptive on a future", Future() with { Algo = Adaptive() }, "algo", "algo-security-type" },
        { "Adaptive on a currency", Currency() with { Algo = Adaptive() }, "algo", "algo-security-type" },
        { "an algo with a blank strategy", Stock() with { Algo = new ExecutionAlgo { Strategy = " " } }, "algo.strategy", "required" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "Adaptive, Patient, on a limit", Stock() with { Algo = Adaptive("Patient") } },
        { "Adaptive, Normal, at market", Market() with { Algo = Adaptive("Normal") } },
        { "Adaptive, Urgent, by cash amount", Cash() with { Algo = Adaptive("Urgent") } },
        { "Adaptive on the order of an OCA group (its members carry no algo)", Stock() with { Algo = Adaptive(), OcaGroup = new OcaGroup { Name = "g1", Orders = [Member()] } } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_adaptive_with_each_priority(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);

    [Fact]
    public void Should_list_the_known_strategies_when_refusing_an_unknown_one()
    {
        var violation = Assert.Single(PlaceOrderValidator.Validate(Stock() with { Algo = new ExecutionAlgo { Strategy = "Twap" } }));
        Assert.Contains("Adaptive", violation.Message, StringComparison.Ordinal);
    }
}

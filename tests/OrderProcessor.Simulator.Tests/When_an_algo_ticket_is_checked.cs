using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_an_algo_ticket_is_checked
{
    private const int Stock = 265598;

    private static OrderTicket Adaptive(string? priority, string orderType = "MKT", int conid = Stock) =>
        Tickets.Of(conid, orderType, 10m, price: orderType == "MKT" ? null : 100m) with
        {
            Strategy = "Adaptive",
            StrategyParameters = priority is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["adaptivePriority"] = priority },
        };

    [Theory]
    [InlineData("Urgent", "MKT")]
    [InlineData("Normal", "LMT")]
    [InlineData("Patient", "LMT")]
    public void Should_accept_adaptive_with_each_priority_on_a_market_or_limit_order(string priority, string orderType)
    {
        Assert.Null(Tickets.Refusal(Adaptive(priority, orderType)));
    }

    [Fact]
    public void Should_refuse_an_unknown_strategy_and_name_the_known_ones()
    {
        var refusal = Tickets.Refusal(Tickets.Of(Stock) with { Strategy = "Vwap" });

        Assert.Equal("Invalid algo strategy: Vwap. Supported strategies: Adaptive", refusal);
        Assert.Equal("Invalid algo strategy: adaptive. Supported strategies: Adaptive", Tickets.Refusal(Tickets.Of(Stock) with { Strategy = "adaptive" }));
    }

    [Fact]
    public void Should_refuse_adaptive_without_its_priority()
    {
        Assert.Equal("Missing algo parameter adaptivePriority for strategy Adaptive (Urgent, Normal, Patient)", Tickets.Refusal(Adaptive(null)));
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("Fast")]
    [InlineData("")]
    public void Should_refuse_a_priority_ibkr_does_not_list(string priority)
    {
        Assert.Equal(
            $"Invalid value {priority} for algo parameter adaptivePriority: one of Urgent, Normal, Patient",
            Tickets.Refusal(Adaptive(priority)));
    }

    [Fact]
    public void Should_refuse_a_parameter_adaptive_does_not_have()
    {
        var ticket = Adaptive("Normal") with
        {
            StrategyParameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal", ["maxPctVol"] = "0.1" },
        };

        Assert.Equal("Invalid algo parameter maxPctVol for strategy Adaptive", Tickets.Refusal(ticket));
    }

    [Fact]
    public void Should_refuse_parameters_without_a_strategy()
    {
        var ticket = Tickets.Of(Stock) with { StrategyParameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal" } };

        Assert.Equal("Algo parameters were given without an algo strategy", Tickets.Refusal(ticket));
    }

    [Fact]
    public void Should_refuse_adaptive_on_a_stop_order_and_on_a_currency()
    {
        Assert.Equal("The Adaptive algo takes MKT and LMT orders only, not STP", Tickets.Refusal(Adaptive("Normal", "STP")));
        Assert.Equal("The Adaptive algo is not available for EUR.USD (CASH)", Tickets.Refusal(Adaptive("Normal", conid: InstrumentCatalog.EurUsd)));
    }

    [Fact]
    public void Should_accept_use_adaptive_on_its_own()
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(Stock, "LMT", price: 100m) with { UseAdaptive = true }));
    }
}

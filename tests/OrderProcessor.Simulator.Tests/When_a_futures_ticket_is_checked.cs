using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_futures_ticket_is_checked
{
    private const int Future = InstrumentCatalog.EsFuture;

    [Fact]
    public void Should_refuse_a_us_futures_order_without_the_manual_indicator()
    {
        var refusal = Tickets.Refusal(Tickets.Of(Future));

        Assert.Equal(InstrumentTicketRules.ManualIndicatorRequiredText, refusal);
        Assert.Contains("Orders for USFUT products that do not include this field will be rejected.", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_accept_it_with_the_manual_indicator_either_way(bool manual)
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(Future) with { ManualIndicator = manual, SecType = "FUT", Conidex = $"{Future}@CME" }));
    }

    [Fact]
    public void Should_refuse_a_fractional_number_of_contracts()
    {
        Assert.Equal(
            "Fractional quantity 1.5 is not supported for ES (FUT): whole units only",
            Tickets.Refusal(Tickets.Of(Future, quantity: 1.5m) with { ManualIndicator = false }));
    }

    [Fact]
    public void Should_not_ask_for_the_manual_indicator_on_a_stock_and_not_refuse_one_sent()
    {
        // IBKR documents the field for US futures only; a stock ticket carrying it is not refused by IBKR (the processor's
        // validator refuses it before it gets here).
        Assert.Null(Tickets.Refusal(Tickets.Of(265598)));
        Assert.Null(Tickets.Refusal(Tickets.Of(265598) with { ManualIndicator = true }));
    }
}

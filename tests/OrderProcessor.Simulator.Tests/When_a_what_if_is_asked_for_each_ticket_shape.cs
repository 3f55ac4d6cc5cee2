using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_what_if_is_asked_for_each_ticket_shape
{
    private static Task<Answer> WhatIfAsync(IbkrUser user, string ticket) =>
        user.PostAsync($"/iserver/account/{user.AccountId}/orders/whatif", "{\"orders\":[" + ticket + "]}");

    private static string Amount(Answer answer) => answer.Body.GetProperty("amount").GetProperty("amount").GetString()!;

    private static string Figure(Answer answer, string part) => answer.Body.GetProperty(part).GetProperty("after").GetString()!;

    [Fact]
    public async Task Should_value_a_cash_quantity_order_at_its_cash_with_the_units_it_buys()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(265598, 187.33m);

        var answer = await WhatIfAsync(user, TicketFields.Cash(265598, "MKT", "BUY", 500m));

        Assert.Equal("500.00 USD (2.669 Shares)", Amount(answer));
        Assert.Equal("501.00 USD", answer.Body.GetProperty("amount").GetProperty("total").GetString());
        Assert.Equal("2.669", Figure(answer, "position"));
        Assert.StartsWith("o10151/", answer.Body.GetProperty("warn").GetString(), StringComparison.Ordinal);
        Assert.Contains("o10223/", answer.Body.GetProperty("warn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_value_a_future_with_its_multiplier_and_margin_it_on_that()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await WhatIfAsync(user, TicketFields.With(IbkrUser.Ticket(InstrumentCatalog.EsFuture, "LMT", "BUY", 2, price: 5000m), new { manualIndicator = true }));

        Assert.Equal("500,000.00 USD (2 Contracts)", Amount(answer));
        Assert.Equal("125,000", Figure(answer, "initial"));
        Assert.Equal("100,000", Figure(answer, "maintenance"));
    }

    [Fact]
    public async Task Should_refuse_a_future_that_would_need_more_margin_than_the_equity()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await WhatIfAsync(user, TicketFields.With(IbkrUser.Ticket(InstrumentCatalog.EsFuture, "LMT", "BUY", 20, price: 5000m), new { manualIndicator = true }));

        Assert.Equal("1,250,000", Figure(answer, "initial"));
        Assert.StartsWith("YOUR ORDER IS NOT ACCEPTED", answer.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_price_a_midprice_order_at_the_midpoint_and_a_currency_order_in_its_base_currency()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(8314, 100.08m, new Quote(100m, 100.1m));
        host.Control.PinPrice(InstrumentCatalog.EurUsd, 1.085m);

        var midprice = await WhatIfAsync(user, IbkrUser.Ticket(8314, "MIDPRICE", "BUY", 10));
        var currency = await WhatIfAsync(user, IbkrUser.Ticket(InstrumentCatalog.EurUsd, "MKT", "SELL", 1000));

        Assert.Equal("1,000.50 USD (10 Shares)", Amount(midprice));
        Assert.Equal("1,085.00 USD (1,000 EUR)", Amount(currency));
        Assert.Equal("-1000", Figure(currency, "position"));
    }

    [Fact]
    public async Task Should_refuse_what_placing_would_refuse()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await WhatIfAsync(user, IbkrUser.Ticket(InstrumentCatalog.EsFuture, "MKT", "BUY", 1));

        Assert.Equal(Simulator.Orders.InstrumentTicketRules.ManualIndicatorRequiredText, answer.Error);
    }
}

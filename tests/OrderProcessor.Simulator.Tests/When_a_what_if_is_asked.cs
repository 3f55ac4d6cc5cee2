using System.Net;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_what_if_is_asked
{
    private const int Conid = 265598;

    private static Task<Answer> WhatIfAsync(IbkrUser user, string ticket) =>
        user.PostAsync($"/iserver/account/{user.AccountId}/orders/whatif", "{\"orders\":[" + ticket + "]}");

    [Fact]
    public async Task Should_answer_with_ibkr_formatted_strings()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 197.76m);

        var answer = await WhatIfAsync(user, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 197.76m));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var b = answer.Body;
        Assert.Equal("1,977.60 USD (10 Shares)", b.GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal("1 USD", b.GetProperty("amount").GetProperty("commission").GetString());
        Assert.Equal("1,978.60 USD", b.GetProperty("amount").GetProperty("total").GetString());
        Assert.Equal("1,000,000", b.GetProperty("equity").GetProperty("current").GetString());
        Assert.Equal("-1", b.GetProperty("equity").GetProperty("change").GetString());
        Assert.Equal("999,999", b.GetProperty("equity").GetProperty("after").GetString());
        Assert.Equal("0", b.GetProperty("initial").GetProperty("current").GetString());
        Assert.Equal("494", b.GetProperty("initial").GetProperty("change").GetString());
        Assert.Equal("396", b.GetProperty("maintenance").GetProperty("after").GetString());
        Assert.Equal("10", b.GetProperty("position").GetProperty("after").GetString());
        Assert.False(b.TryGetProperty("error", out _));
        Assert.False(b.TryGetProperty("warn", out _));
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_return_an_error_when_post_trade_initial_margin_exceeds_equity()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);

        var answer = await WhatIfAsync(user, IbkrUser.Ticket(Conid, "LMT", "BUY", 40_001, price: 100m));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("4,000,100.00 USD (40,001 Shares)", answer.Body.GetProperty("amount").GetProperty("amount").GetString());
        Assert.Equal("1,000,025", answer.Body.GetProperty("initial").GetProperty("after").GetString());
        Assert.StartsWith("YOUR ORDER IS NOT ACCEPTED", answer.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_warn_with_the_questions_that_are_not_suppressed()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var warned = await WhatIfAsync(user, IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        await user.SuppressAsync("o10151");
        var quiet = await WhatIfAsync(user, IbkrUser.Ticket(Conid, "MKT", "BUY", 1));

        Assert.StartsWith("o10151/", warned.Body.GetProperty("warn").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, quiet.Body.ValueKind);
        Assert.False(quiet.Body.TryGetProperty("warn", out _));
    }
}

using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_ticket_carries_the_new_fields
{
    private const int Conid = 265598;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        return user;
    }

    [Theory]
    [InlineData("{\"cashQty\":\"500\"}", "Field 'cashQty' must be a number")]
    [InlineData("{\"secType\":1}", "Field 'secType' must be a string")]
    [InlineData("{\"allOrNone\":\"true\"}", "Field 'allOrNone' must be a boolean")]
    [InlineData("{\"manualIndicator\":1}", "Field 'manualIndicator' must be a boolean")]
    [InlineData("{\"useAdaptive\":\"yes\"}", "Field 'useAdaptive' must be a boolean")]
    [InlineData("{\"isCcyConv\":0}", "Field 'isCcyConv' must be a boolean")]
    [InlineData("{\"strategy\":\"Adaptive\",\"strategyParameters\":[\"Normal\"]}", "Field 'strategyParameters' must be an object")]
    [InlineData("{\"strategy\":\"Adaptive\",\"strategyParameters\":{\"adaptivePriority\":{\"v\":\"Normal\"}}}", "Field 'strategyParameters.adaptivePriority' must be a string, a number or a boolean")]
    public async Task Should_answer_500_for_a_wrong_json_type_like_ibkr(string extra, string error)
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1).TrimEnd('}') + "," + extra.TrimStart('{');

        var answer = await user.PlaceAsync(ticket);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal(error, answer.Error);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_still_need_quantity_when_there_is_no_cash_quantity()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(TicketFields.Without(IbkrUser.Ticket(Conid, "MKT", "BUY", 1), "quantity"));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("Missing required field 'quantity'", answer.Error);
    }

    [Fact]
    public async Task Should_take_a_cash_quantity_ticket_without_quantity_or_with_quantity_0()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var withoutQuantity = await user.PlaceAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m));
        var withZero = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 0), new { cashQty = 500m }));
        var withSize = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 2), new { cashQty = 500m }));

        Assert.True(withoutQuantity.IsAccepted, withoutQuantity.Raw);
        Assert.True(withZero.IsAccepted, withZero.Raw);
        Assert.Equal("Cash Quantity order cannot specify size", withSize.Error);
        Assert.All(host.Control.Ledger(), o => Assert.Equal(500m, o.CashQuantity));
    }

    [Fact]
    public async Task Should_carry_every_accepted_field_to_the_ledger()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var ticket = TicketFields.With(IbkrUser.Ticket(Conid, "LMT", "BUY", 3, price: 100m, tif: "GTC"), new
        {
            secType = "STK",
            conidex = "265598@ARCA",
            strategy = "Adaptive",
            strategyParameters = new { adaptivePriority = "Patient" },
            allOrNone = true,
        });

        await user.PlaceOneConfirmedAsync(ticket);
        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Conid, "LMT", "SELL", 1, price: 300m), new { useAdaptive = true, listingExchange = "NYSE" }));
        var ledger = host.Control.Ledger();

        Assert.Equal(("STK", "ARCA", "Adaptive", "Patient", true, "GTC"), (ledger[0].SecType, ledger[0].Exchange, ledger[0].Strategy, ledger[0].StrategyParameters!["adaptivePriority"], ledger[0].AllOrNone, ledger[0].Tif));
        Assert.Equal((true, "NYSE", false), (ledger[1].UseAdaptive, ledger[1].Exchange, ledger[1].AllOrNone));
    }

    [Fact]
    public async Task Should_ask_ibkrs_cash_quantity_confirmation_unless_suppressed()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");

        var asked = await user.PlaceAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m));
        await user.SuppressAsync("o10223");
        var notAsked = await user.PlaceAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m));

        Assert.True(asked.IsQuestion, asked.Raw);
        Assert.Equal("o10223", asked.QuestionId);
        Assert.True(notAsked.IsAccepted, notAsked.Raw);
    }
}

using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>Trades cover <c>days</c> calendar days of the server (UTC midnight boundaries), one entry per execution.</summary>
public sealed class When_trades_cross_a_day_boundary
{
    private const int Conid = 31337;

    /// <summary>Long enough for a session and a token to outlive a jump past midnight (the test start is 14:30 UTC).</summary>
    private static readonly Dictionary<string, string?> LongSessions = new()
    {
        ["Simulator:BearerTokenLifetime"] = "1.00:00:00",
        ["Simulator:SessionIdleTimeout"] = "1.00:00:00",
    };

    [Fact]
    public async Task Should_leave_yesterdays_execution_out_of_one_day_and_show_it_with_two()
    {
        using var host = new SimulatorHost(LongSessions);
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 50m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 3, cOID: "yesterday"));
        host.Control.Tick();

        host.Control.AdvanceClock(TimeSpan.FromHours(12));
        var today = await user.GetAsync("/iserver/account/trades");
        var explicitOne = await user.GetAsync("/iserver/account/trades?days=1");
        var twoDays = await user.GetAsync("/iserver/account/trades?days=2");

        Assert.Empty(today.Body.EnumerateArray());
        Assert.Empty(explicitOne.Body.EnumerateArray());
        var trade = Assert.Single(twoDays.Body.EnumerateArray());
        Assert.Equal("yesterday", trade.GetProperty("order_ref").GetString());
        Assert.Equal(3m, trade.GetProperty("size").GetDecimal());
    }

    [Fact]
    public async Task Should_list_each_execution_of_an_order_filled_over_two_days_on_its_own_day()
    {
        using var host = new SimulatorHost(LongSessions);
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 50m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 150, cOID: "two-days"));
        host.Control.Tick();
        host.Control.AdvanceClock(TimeSpan.FromHours(10));
        host.Control.PinPrice(Conid, 51m);
        host.Control.Tick();

        var today = await user.GetAsync("/iserver/account/trades");
        var twoDays = await user.GetAsync("/iserver/account/trades?days=2");

        var todays = Assert.Single(today.Body.EnumerateArray());
        Assert.Equal((75m, "51.00"), (todays.GetProperty("size").GetDecimal(), todays.GetProperty("price").GetString()));
        Assert.Equal([75m, 75m], twoDays.Body.EnumerateArray().Select(t => t.GetProperty("size").GetDecimal()));
        Assert.Equal(2, twoDays.Body.EnumerateArray().Select(t => t.GetProperty("execution_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Should_cover_at_most_seven_days()
    {
        using var host = new SimulatorHost(LongSessions);
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 50m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "last-week"));
        host.Control.Tick();

        host.Control.AdvanceClock(TimeSpan.FromDays(6));
        var seventhDay = await TradesAsync(host, "?days=7");
        host.Control.AdvanceClock(TimeSpan.FromDays(1));
        var eighthDay = await TradesAsync(host, "?days=7");

        Assert.Single(seventhDay.Body.EnumerateArray());
        Assert.Empty(eighthDay.Body.EnumerateArray());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("8")]
    [InlineData("two")]
    public async Task Should_refuse_days_outside_one_to_seven(string days)
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await user.GetAsync("/iserver/account/trades?days=" + days);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.NotNull(answer.Error);
    }

    private static async Task<Answer> TradesAsync(SimulatorHost host, string query)
    {
        // Days later the session and the token are long gone: sign in again, as a client would.
        using var user = await host.OpenSessionAsync("alice");
        return await user.GetAsync("/iserver/account/trades" + query);
    }
}

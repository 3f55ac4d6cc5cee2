using System.Net;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The order status call knows the current session's orders only: an earlier session's answer 503.</summary>
public sealed class When_order_status_is_asked_after_a_session_change
{
    private const int Conid = 1414;

    [Fact]
    public async Task Should_answer_503_for_an_order_that_ended_in_an_earlier_session_and_the_status_of_a_working_one()
    {
        using var host = new SimulatorHost();
        var (user, filled, working) = await TwoOrdersThenNewSessionAsync(host);
        using (user)
        {
            var filledStatus = await user.GetAsync($"/iserver/account/order/status/{filled}");
            var workingStatus = await user.GetAsync($"/iserver/account/order/status/{working}");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, filledStatus.Status);
            Assert.Equal(503, filledStatus.Body.GetProperty("statusCode").GetInt32());
            Assert.Equal(HttpStatusCode.OK, workingStatus.Status);
            Assert.Equal("Submitted", workingStatus.Body.GetProperty("order_status").GetString());
        }
    }

    [Fact]
    public async Task Should_answer_503_for_every_order_of_an_earlier_session_when_configured()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:OrderStatusUnavailableFor"] = nameof(StatusUnavailableScope.AcceptedBeforeSession) });
        var (user, filled, working) = await TwoOrdersThenNewSessionAsync(host);
        using (user)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await user.GetAsync($"/iserver/account/order/status/{filled}")).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await user.GetAsync($"/iserver/account/order/status/{working}")).Status);
        }
    }

    [Fact]
    public async Task Should_answer_503_for_an_order_that_ended_between_two_sessions()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "gap"));

        host.Control.DropSession("alice");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        host.Control.CancelAtExchange("gap");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await user.InitAsync();
        await user.WarmUpAccountsAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await user.GetAsync($"/iserver/account/order/status/{orderId}")).Status);
    }

    private static async Task<(IbkrUser User, long Filled, long Working)> TwoOrdersThenNewSessionAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 100m);
        var filled = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var working = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m));
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        return (user, filled, working);
    }
}

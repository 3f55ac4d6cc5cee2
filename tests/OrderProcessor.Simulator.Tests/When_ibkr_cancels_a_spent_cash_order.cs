using System.Net.Http.Json;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The harder reading of IBKR's o10223 text: a maximum size, and the rest cancelled once the cash is spent.</summary>
public sealed class When_ibkr_cancels_a_spent_cash_order
{
    private const int Conid = 265598;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        using var control = host.CreateClient();
        using var patched = await control.PatchAsJsonAsync("/__sim/behaviour", new { cashQuantityEnding = "cancelledWhenSpent" });
        Assert.Equal(System.Net.HttpStatusCode.OK, patched.StatusCode);
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        return user;
    }

    [Fact]
    public async Task Should_end_cancelled_with_the_cash_spent_and_a_filled_quantity_below_its_maximum_size()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 187.33m);

        await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m));
        var accepted = Assert.Single(host.Control.Ledger());
        host.Control.Tick();
        var ended = Assert.Single(host.Control.Ledger());
        await user.GetAsync("/iserver/account/orders");
        var live = (await user.GetAsync("/iserver/account/orders")).Body.GetProperty("orders").EnumerateArray().Single();

        Assert.Equal(CashQuantityEnding.CancelledWhenSpent, host.Control.Behaviour.CashQuantityEnding);
        Assert.Equal(3.3363m, accepted.Quantity); // 625 (500 + the 25 % estimate factor) at 187.33
        Assert.Equal(("Cancelled", 2.669m, 3.3363m, 499.98377m), (ended.Status, ended.FilledQuantity, ended.Quantity, ended.FilledCashAmount));
        Assert.Equal(("Cancelled", "2.669", "3.3363", "0"), (
            live.GetProperty("status").GetString(), live.GetProperty("filledQuantity").GetString(),
            live.GetProperty("totalSize").GetString(), live.GetProperty("remainingQuantity").GetString()));
    }

    [Fact]
    public async Task Should_fill_the_maximum_size_when_the_price_falls_far_enough_and_leave_the_rest_of_the_cash()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "LMT", "BUY", 100m, price: 50m));
        host.Control.PinPrice(Conid, 40m);
        host.Control.Tick();
        var ended = Assert.Single(host.Control.Ledger());

        Assert.Equal(("Filled", 1.25m, 1.25m, 50m), (ended.Status, ended.FilledQuantity, ended.Quantity, ended.FilledCashAmount));
    }
}

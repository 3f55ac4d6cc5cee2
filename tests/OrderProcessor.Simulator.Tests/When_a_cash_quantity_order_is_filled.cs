using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_cash_quantity_order_is_filled
{
    private const int Conid = 265598;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        return user;
    }

    [Fact]
    public async Task Should_fill_the_units_the_cash_buys_at_the_fill_price_rounded_down_to_4_decimals()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 187.33m);

        var orderId = await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m, cOID: "cash-1"));
        host.Control.Tick();
        var order = Assert.Single(host.Control.Ledger());

        Assert.Equal(("Filled", 2.669m, 2.669m, 187.33m), (order.Status, order.FilledQuantity, order.Quantity, order.AvgPrice!.Value));
        Assert.Equal(499.98377m, order.FilledCashAmount);
        Assert.True(order.FilledCashAmount <= 500m);

        await user.GetAsync("/iserver/account/orders");
        var live = (await user.GetAsync("/iserver/account/orders")).Body.GetProperty("orders").EnumerateArray().Single();
        Assert.Equal(("2.669", "2.669", "0", "500.00"), (
            live.GetProperty("filledQuantity").GetString(), live.GetProperty("totalSize").GetString(),
            live.GetProperty("remainingQuantity").GetString(), live.GetProperty("totalCashSize").GetString()));
        var status = (await user.GetAsync($"/iserver/account/order/status/{orderId}")).Body;
        Assert.Equal(("2.669", "2.669"), (status.GetProperty("cum_fill").GetString(), status.GetProperty("total_size").GetString()));
        var trade = (await user.GetAsync("/iserver/account/trades")).Body.EnumerateArray().Single();
        Assert.Equal(2.669m, trade.GetProperty("size").GetDecimal());
    }

    [Fact]
    public async Task Should_size_a_working_cash_order_at_the_reference_price_and_resize_it_at_the_fill_price()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 200m);

        await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "LMT", "BUY", 1000m, price: 190m));
        host.Control.Tick();
        var working = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 187.5m);
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());

        Assert.Equal(("Submitted", 5m, 0m), (working.Status, working.Quantity, working.FilledQuantity));
        Assert.Equal(("Filled", 5.3333m, 5.3333m), (filled.Status, filled.Quantity, filled.FilledQuantity));
        Assert.Equal(999.99375m, filled.FilledCashAmount);
    }

    [Fact]
    public async Task Should_fill_a_large_cash_order_in_exact_parts_that_spend_the_cash_and_no_more()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 187.33m);

        await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "MKT", "BUY", 30_000m));
        host.Control.Tick();
        var partial = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 190m);
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());
        var trades = (await user.GetAsync("/iserver/account/trades")).Body.EnumerateArray().Select(t => t.GetProperty("size").GetDecimal()).ToList();

        Assert.Equal(("Submitted", 81m, 160.1451m), (partial.Status, partial.FilledQuantity, partial.Quantity));
        Assert.Equal(("Filled", 159.033m, 159.033m), (filled.Status, filled.FilledQuantity, filled.Quantity));
        Assert.Equal([81m, 78.033m], trades);
        Assert.Equal(filled.FilledQuantity, trades.Sum());
        Assert.Equal(30_000m, filled.FilledCashAmount);
    }

    [Fact]
    public async Task Should_report_fractional_quantities_on_the_sor_and_str_frames()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 187.33m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await When_a_client_opens_the_order_stream.WaitForAsync(() => host.Control.Stream().Users["alice"].ExecutionsSubscribed == 1);

        await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "MKT", "BUY", 500m));
        host.Control.Tick();
        var sizes = new List<string>();
        var sor = new Dictionary<string, string>();
        while (await socket.NextAsync(TimeSpan.FromMilliseconds(500)) is { } message)
        {
            if (message.Topic == "str")
                sizes.AddRange(message.Args.EnumerateArray().Select(e => e.GetProperty("size").GetString()!));
            if (message.Topic != "sor")
                continue;
            foreach (var field in message.Args.EnumerateArray().SelectMany(e => e.EnumerateObject()).Where(f => f.Value.ValueKind == System.Text.Json.JsonValueKind.String))
                sor[field.Name] = field.Value.GetString()!;
        }

        Assert.Equal(["2.669"], sizes);
        Assert.Equal(("Filled", "2.669", "2.669", "0", "500.00"), (sor["status"], sor["filledQuantity"], sor["totalSize"], sor["remainingQuantity"], sor["totalCashSize"]));
    }
}

using System.Diagnostics;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// The controls that need IBKR's reference price (the what-if's order value ÷ quantity), with the simulator's price
/// pinned: a market order over the account's maximum notional, a limit order outside a 5 % band, each Rejected with its
/// code before anything is sent (nothing of it in the ledger); the next valid order is accepted and fills. The processor
/// runs with <c>Risk:ReferencePriceForMarketOrders=WhatIf</c>; the band is set on the account (risk_limits).
/// </summary>
public sealed class When_each_risk_control_refuses_at_the_reference_price(When_each_risk_control_refuses_at_the_reference_price.Fixture fixture,
    ITestOutputHelper output) : IClassFixture<When_each_risk_control_refuses_at_the_reference_price.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Risk:ReferencePriceForMarketOrders"] = "WhatIf" };
    }

    [Fact]
    public async Task Should_refuse_a_market_order_whose_notional_at_the_reference_price_is_above_the_maximum()
    {
        const int conid = 4201;
        fixture.Simulator.Control.PinPrice(conid, 150m);
        await WithLimitsAsync("DU1234567", new RiskLimitChange(MaxNotional: 1000), async () =>
        {
            // 10 × 150.00 = 1,500.00 > 1,000; then 5 × 150.00 = 750.00 goes through.
            var refused = TestOrders.Market("alice", quantity: 10) with { Conid = conid };
            await RefusedAsync(refused, RejectionReasonCode.MaxNotionalExceeded,
                "notional 1,500.00 (reference price 150.00 × 10, from IBKR's what-if) exceeds the maximum of 1,000 per order");
            await FillsAsync(TestOrders.Market("alice", quantity: 5) with { Conid = conid });
        });
    }

    [Fact]
    public async Task Should_refuse_a_limit_order_outside_the_price_band_in_either_direction()
    {
        const int conid = 4202;
        fixture.Simulator.Control.PinPrice(conid, 100m);
        await WithLimitsAsync("DU2345678", new RiskLimitChange(PriceBandPercent: 5), async () =>
        {
            var above = TestOrders.Limit("bob", quantity: 10, limitPrice: 110m) with { AccountId = "DU2345678", Conid = conid };
            await RefusedAsync(above, RejectionReasonCode.OutsidePriceBand, "limit 110.00 is 10.0 % from the reference price 100.00 (band 5 %)");
            var below = TestOrders.Limit("bob", quantity: 10, limitPrice: 90m) with { AccountId = "DU2345678", Conid = conid, Side = OrderSide.Sell };
            await RefusedAsync(below, RejectionReasonCode.OutsidePriceBand, "limit 90.00 is 10.0 % from the reference price 100.00 (band 5 %)");
            // 102.00 is 2 % from the reference: accepted, sent, and (marketable) filled.
            await FillsAsync(TestOrders.Limit("bob", quantity: 10, limitPrice: 102m) with { AccountId = "DU2345678", Conid = conid });
        });
    }

    [Fact]
    public async Task Should_set_show_and_clear_an_accounts_price_band_with_the_cli()
    {
        var (setExit, setOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "set", "--account", "DU9876543", "--price-band", "2.5%", "--by", "test"]);
        var (listExit, listOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "list", "--account", "DU9876543"]);
        var (clearExit, _) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "clear", "--account", "DU9876543", "--field", "price-band"]);
        var (badExit, badOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "set", "--account", "DU9876543", "--price-band", "five"]);
        await using var db = fixture.Db();
        var row = await db.RiskLimits.FindAsync("account", "DU9876543");
        output.WriteLine($"set: exit {setExit}: {setOutput.Trim()}\nlist: exit {listExit}: {listOutput.Trim()}\nclear --field price-band: exit {clearExit}, row band {row?.PriceBandPercent?.ToString() ?? "null"}\nbad: exit {badExit}: {badOutput.Trim()}");

        Assert.Equal((0, 0, 0, 2), (setExit, listExit, clearExit, badExit));
        Assert.Contains("price-band 2.5%", listOutput, StringComparison.Ordinal);
        Assert.Null(row?.PriceBandPercent);
    }

    private async Task RefusedAsync(PlaceOrder command, RejectionReasonCode code, string reasonPart)
    {
        var clock = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(command);
        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderRejected));
        var rejected = events.Select(e => e.Event).OfType<OrderRejected>().Single();
        output.WriteLine($"{code} after {clock.ElapsedMilliseconds} ms (events {string.Join(", ", fixture.EventNames(command.OrderId))}): \"{rejected.Reason}\"");
        Assert.Equal(code, rejected.ReasonCode);
        Assert.Contains(reasonPart, rejected.Reason, StringComparison.Ordinal);
        // The what-if ran (the order was accepted, then refused at its reference price) and published no margin check.
        Assert.Contains(nameof(OrderAccepted), fixture.EventNames(command.OrderId));
        Assert.DoesNotContain(nameof(MarginCheckCompleted), fixture.EventNames(command.OrderId));
        await using var db = fixture.Db();
        Assert.Equal(OrderStatus.Rejected, (await db.Orders.FindAsync(command.OrderId))!.Status);
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }

    private async Task FillsAsync(PlaceOrder command)
    {
        var clock = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled or OrderRejected or OrderFailed));
        output.WriteLine($"next valid order: {string.Join(", ", fixture.EventNames(command.OrderId))} in {clock.ElapsedMilliseconds} ms");
        Assert.Contains(nameof(OrderFilled), fixture.EventNames(command.OrderId));
        Assert.DoesNotContain(nameof(MarginCheckCompleted), fixture.EventNames(command.OrderId));
        await using var db = fixture.Db();
        Assert.True((await db.Orders.FindAsync(command.OrderId))!.ReferenceCheck);
    }

    private async Task WithLimitsAsync(string account, RiskLimitChange change, Func<Task> scenario)
    {
        await using (var db = fixture.Db())
        {
            await RiskLimitCommands.SetAsync(db, "account", account, change, "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        try
        {
            await scenario();
        }
        finally
        {
            await using var db = fixture.Db();
            await RiskLimitCommands.ClearAsync(db, "account", account, [], "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }
    }
}

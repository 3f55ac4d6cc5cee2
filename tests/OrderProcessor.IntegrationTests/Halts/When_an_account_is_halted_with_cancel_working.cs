using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Halts;

/// <summary>
/// The kill switch from the CLI: <c>orders halt --account A --cancel-working --wait</c> leaves nothing of the account
/// working at IBKR, refuses its new orders until <c>orders resume</c>, and leaves another account alone; the halt and the
/// resume are events in the audited outbox.
/// </summary>
public sealed class When_an_account_is_halted_with_cancel_working(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    private const string Halted = "DU1234567";   // alice's account
    private const string Other = "DU2345678";    // bob's account
    private const int Conid = 9101;
    private static readonly string[] Final = ["Filled", "Cancelled", "Inactive"];

    [Fact]
    public async Task Should_cancel_the_accounts_working_orders_refuse_new_ones_until_resumed_and_leave_the_other_account_alone()
    {
        fixture.Simulator.Control.PinPrice(Conid, 120m);
        var alices = Enumerable.Range(0, 12).Select(_ => TestOrders.Limit(limitPrice: 100m) with { Conid = Conid }).ToList();
        var bobs = Enumerable.Range(0, 4).Select(_ => TestOrders.Limit(userId: "bob", limitPrice: 100m) with { Conid = Conid, AccountId = Other }).ToList();
        foreach (var command in alices.Concat(bobs))
        {
            await fixture.Downstream.Publisher.Publish(command);
        }

        foreach (var command in alices.Concat(bobs))
        {
            await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(60));
        }

        var started = DateTime.UtcNow;
        var (exit, text) = await OrdersAsync("halt", "--account", Halted, "--cancel-working", "--reason", "runaway strategy", "--by", "risk-desk", "--wait", "--timeout", "60");
        output.WriteLine($"orders halt --cancel-working --wait: exit {exit} after {(DateTime.UtcNow - started).TotalSeconds:F1} s\n{text}");
        Assert.Equal(0, exit);

        // IBKR's side: nothing of the halted account working; the other account's orders untouched.
        var ledger = await WaitForLedgerAsync(l => !l.Any(e => e.AccountId == Halted && !Final.Contains(e.Status)), TimeSpan.FromSeconds(30));
        var workingHalted = ledger.Count(e => e.AccountId == Halted && !Final.Contains(e.Status));
        var workingOther = ledger.Count(e => e.AccountId == Other && !Final.Contains(e.Status));
        output.WriteLine($"ledger: {workingHalted} working order(s) of {Halted}, {workingOther} of {Other} ({ledger.Count(e => e.AccountId == Halted && e.Status == "Cancelled")} of {Halted} cancelled)");
        Assert.Equal(0, workingHalted);
        Assert.Equal(bobs.Count, workingOther);
        foreach (var command in alices)
        {
            await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled, TimeSpan.FromSeconds(30));
        }

        // New orders of the halted account are refused; the other account trades on.
        var refused = TestOrders.Limit(limitPrice: 100m) with { Conid = Conid };
        var accepted = TestOrders.Limit(userId: "bob", limitPrice: 100m) with { Conid = Conid, AccountId = Other };
        await fixture.Downstream.Publisher.Publish(refused);
        await fixture.Downstream.Publisher.Publish(accepted);
        var rejected = await fixture.Downstream.WaitForAsync(refused.OrderId, e => e.Any(x => x.Event is OrderRejected));
        var rejection = (OrderRejected)rejected.Single(x => x.Event is OrderRejected).Event;
        output.WriteLine($"new order of {Halted}: {rejection.ReasonCode}: {rejection.Reason}");
        Assert.Equal(RejectionReasonCode.TradingHalted, rejection.ReasonCode);
        Assert.Contains("runaway strategy", rejection.Reason, StringComparison.Ordinal);
        await fixture.WaitForStatusAsync(accepted.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{refused.OrderId:N}");

        var (listExit, list) = await OrdersAsync("halts");
        output.WriteLine($"orders halts: exit {listExit}\n{list}");
        Assert.Equal(0, listExit);
        Assert.Contains($"account {Halted}", list, StringComparison.Ordinal);

        // Misuse and a second halt of the same scope.
        var (twoScopes, _) = await OrdersAsync("halt", "--account", Halted, "--all", "--reason", "x");
        var (again, againText) = await OrdersAsync("halt", "--account", Halted, "--reason", "again");
        output.WriteLine($"two scopes: exit {twoScopes}; halting again: exit {again}: {againText.Trim()}");
        Assert.Equal(2, twoScopes);
        Assert.Equal(0, again);
        Assert.Contains("already halted", againText, StringComparison.Ordinal);

        var (resumeExit, resumeText) = await OrdersAsync("resume", "--account", Halted, "--reason", "strategy fixed");
        var (resumeAgain, _) = await OrdersAsync("resume", "--account", Halted);
        output.WriteLine($"orders resume: exit {resumeExit}: {resumeText.Trim()}; resume again: exit {resumeAgain}");
        Assert.Equal(0, resumeExit);
        Assert.Equal(4, resumeAgain);

        var after = TestOrders.Limit(limitPrice: 100m) with { Conid = Conid };
        await fixture.Downstream.Publisher.Publish(after);
        await fixture.WaitForStatusAsync(after.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30));

        // One TradingHalted and one TradingResumed per change (the repeated halt answers with the existing halt), audited.
        await using var db = fixture.Db();
        var halt = await db.TradingHalts.AsNoTracking().SingleAsync();
        var types = await db.Outbox.AsNoTracking().Where(o => o.OrderId == halt.HaltId).OrderBy(o => o.Sequence).Select(o => o.MessageType).ToListAsync();
        output.WriteLine($"outbox rows of halt {halt.HaltId}: {string.Join(", ", types)}; swept at {halt.CancelSweptAt:u}");
        Assert.Equal([nameof(TradingHalted), nameof(TradingHalted), nameof(TradingResumed)], types);
        Assert.NotNull(halt.CancelSweptAt);
        var (verifyExit, verify) = await OrdersAsync("audit", "verify");
        output.WriteLine($"orders audit verify: exit {verifyExit}\n{verify}");
        Assert.Equal(0, verifyExit);
    }

    private async Task<IReadOnlyList<OrderProcessor.Simulator.Control.LedgerEntry>> WaitForLedgerAsync(
        Func<IReadOnlyList<OrderProcessor.Simulator.Control.LedgerEntry>, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var ledger = fixture.Simulator.Control.Ledger();
        while (!done(ledger) && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
            ledger = fixture.Simulator.Control.Ledger();
        }

        return ledger;
    }

    private Task<(int Exit, string Output)> OrdersAsync(params string[] arguments) =>
        OrdersCliProcess.RunAsync(fixture.Servers, arguments, timeout: TimeSpan.FromSeconds(120));
}

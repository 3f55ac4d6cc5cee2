using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.UnitTests.Orders;
using Xunit.Abstractions;
using Steps = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Halts;

/// <summary>
/// What a cancel-working halt's sweep decides (HaltSweep: the decision HaltCancelSweeper runs on PostgreSQL and the
/// lifecycle simulation on its table): which orders of the scope, in what order, and each one's cancel.
/// </summary>
public sealed class When_a_halt_sweeps_its_scope(ITestOutputHelper output)
{
    private static readonly TradingHaltRow Row = new()
    {
        HaltId = Guid.NewGuid(),
        Scope = HaltScopes.Account,
        ScopeKey = "DU1234567",
        Reason = "runaway strategy",
        CancelWorking = true,
        HaltedAt = new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Should_take_the_scope_s_live_orders_leaders_first_and_leave_the_rest()
    {
        var bracket = Steps.Accepted(Steps.Bracket());
        var working = Steps.Working();
        var asked = Steps.Working();
        asked.CancelRequested = true;
        var operatorOnes = Steps.Working();
        operatorOnes.Status = OrderStatus.NeedsAttention;
        var other = Steps.Accepted(When_a_place_order_is_validated.Valid() with { AccountId = "DU7654321" });
        var done = Steps.Accepted();
        done[0].Status = OrderStatus.Filled;
        List<OrderSaga> orders = [.. bracket, working, asked, operatorOnes, .. other, .. done];

        var batch = HaltSweep.Batch(orders.AsQueryable(), TradingHaltStore.ViewOf(Row)).ToList();

        output.WriteLine($"batch: {string.Join(", ", batch.Select(id => orders.Single(o => o.OrderId == id) is var o ? $"{o.Status}{(o.SubmittedWithOrderId is null ? " leader" : " leg")}" : ""))}");
        var expected = new[] { bracket[0], working }.OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId).Select(o => o.OrderId)
            .Concat(bracket.Skip(1).OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId).Select(o => o.OrderId));
        Assert.Equal(expected, batch);
        Assert.True(HaltSweep.IsLast(batch.Count));
        Assert.False(HaltSweep.StillToCancel(asked, Row));
        Assert.False(HaltSweep.StillToCancel(operatorOnes, Row));
        Assert.False(HaltSweep.StillToCancel(done[0], Row));
        Assert.True(HaltSweep.StillToCancel(working, Row));
    }

    [Fact]
    public void Should_ask_an_order_working_again_later_but_not_one_whose_cancel_ibkr_refused()
    {
        // The halt is swept on every pass while it lasts. An order an operator had, that IBKR lists as working again after
        // the first sweep, is asked then; one this halt asked already and whose cancel IBKR refused (it had filled) is not
        // asked again on every pass.
        var backToWorking = Steps.Working();
        var refused = Steps.Working();
        HaltSweep.Cancel(refused, [], Row, Row.HaltedAt.AddSeconds(1), Steps.Settings);
        refused.CancelRequested = false;
        refused.Status = OrderStatus.Working;
        List<OrderSaga> orders = [backToWorking, refused];

        var batch = HaltSweep.Batch(orders.AsQueryable(), TradingHaltStore.ViewOf(Row)).ToList();

        output.WriteLine($"later pass: {batch.Count} asked; the refused one's cancel reason: {refused.CancelReason}");
        Assert.Equal([backToWorking.OrderId], batch);
        Assert.True(HaltSweep.StillToCancel(backToWorking, Row));
        Assert.False(HaltSweep.StillToCancel(refused, Row));

        // Nor by another halt covering it (two halts would take turns asking).
        var everyone = new TradingHaltRow { HaltId = Guid.NewGuid(), Scope = HaltScopes.All, ScopeKey = "*", Reason = "all stop", CancelWorking = true, HaltedAt = Row.HaltedAt };
        Assert.Equal([backToWorking.OrderId], HaltSweep.Batch(orders.AsQueryable(), TradingHaltStore.ViewOf(everyone)).ToList());
        Assert.False(HaltSweep.StillToCancel(refused, everyone));
        var sweeps = HaltSweep.ToSweep.Compile();
        Assert.True(sweeps(new TradingHaltRow { HaltId = Row.HaltId, CancelWorking = true, CancelSweptAt = Row.HaltedAt.AddSeconds(2) }));
        Assert.False(sweeps(new TradingHaltRow { HaltId = Row.HaltId, CancelWorking = true, ResumedAt = Row.HaltedAt.AddSeconds(2) }));
    }

    [Fact]
    public void Should_cancel_each_order_through_the_state_machine_naming_the_halt()
    {
        var accepted = Steps.Accepted();
        var working = Steps.Working();

        var now = HaltSweep.Cancel(accepted[0], [], Row, Row.HaltedAt.AddSeconds(1), Steps.Settings);
        var atIbkr = HaltSweep.Cancel(working, [], Row, Row.HaltedAt.AddSeconds(1), Steps.Settings);

        output.WriteLine($"not sent: {string.Join(", ", Steps.EventNames(now))} → {accepted[0].Status}; working: {string.Join(", ", Steps.EventNames(atIbkr))} → {working.Status}, work {working.WorkDue}");
        var cancelled = Assert.Single(Steps.Events<OrderCancelled>(now));
        Assert.Contains($"halt {Row.HaltId}: runaway strategy", cancelled.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Cancelled, accepted[0].Status);
        Assert.True(working.CancelRequested);
        Assert.Equal(OrderWork.Cancel, working.WorkDue);
    }
}

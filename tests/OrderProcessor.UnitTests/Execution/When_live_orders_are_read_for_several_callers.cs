using OrderProcessor.Execution;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// The shared live-orders read (<see cref="SharedLiveOrders"/>): callers share reads, but a caller is only ever answered
/// by a read that began after it asked (a read under way may predate the caller's reason to ask, e.g. a send whose
/// outcome a reconcile must prove).
/// </summary>
public sealed class When_live_orders_are_read_for_several_callers(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Should_not_answer_a_caller_with_a_read_that_was_under_way_when_it_asked()
    {
        var gateway = new FakeLiveOrdersGateway();
        var reads = new SharedLiveOrders(gateway);

        // The poll's read is under way; meanwhile a send ends (its answer lost) and its reconcile asks.
        var poll = reads.ReadAsync("alice", CancellationToken.None);
        var reconcile = reads.ReadAsync("alice", CancellationToken.None);

        // The poll's read was answered from before the send reached IBKR: it does not list the order.
        gateway.AnswerNext();
        Assert.Empty(await poll.WaitAsync(Wait));
        await Task.Delay(50);
        Assert.False(reconcile.IsCompleted, "the reconcile was answered by a read that began before it asked");

        // The reconcile's own read (begun after it asked) lists it.
        gateway.AnswerNext("op-sent");
        var found = await reconcile.WaitAsync(Wait);
        output.WriteLine($"poll saw {(await poll).Count} orders; the reconcile, on a read begun after it asked, saw {found.Count}; reads sent: {gateway.Sent}");
        Assert.Equal("op-sent", Assert.Single(found).OrderRef);
        Assert.Equal(2, gateway.Sent);
    }

    [Fact]
    public async Task Should_share_one_read_among_every_caller_that_asked_while_a_read_was_under_way()
    {
        var gateway = new FakeLiveOrdersGateway();
        var reads = new SharedLiveOrders(gateway);
        var first = reads.ReadAsync("alice", CancellationToken.None);
        var waiting = Enumerable.Range(0, 8).Select(_ => reads.ReadAsync("alice", CancellationToken.None)).ToList();

        gateway.AnswerNext();
        await first.WaitAsync(Wait);
        gateway.AnswerNext("op-1", "op-2");
        var answers = await Task.WhenAll(waiting).WaitAsync(Wait);

        output.WriteLine($"9 callers, {gateway.Sent} reads sent, {reads.Shared} answered by a read another caller started");
        Assert.All(answers, a => Assert.Equal(2, a.Count));
        Assert.Equal(2, gateway.Sent);
        Assert.Equal(7, reads.Shared);
    }

    [Fact]
    public async Task Should_never_keep_an_answer_for_a_caller_that_asks_after_it()
    {
        var gateway = new FakeLiveOrdersGateway();
        var reads = new SharedLiveOrders(gateway);
        var first = reads.ReadAsync("alice", CancellationToken.None);
        gateway.AnswerNext();
        await first.WaitAsync(Wait);

        var later = reads.ReadAsync("alice", CancellationToken.None);
        await Task.Delay(50);
        output.WriteLine($"a caller after the first answer: {gateway.Sent} reads sent, answered yet: {later.IsCompleted}");
        Assert.False(later.IsCompleted);
        Assert.Equal(2, gateway.Sent);
        gateway.AnswerNext("op-1");
        Assert.Single(await later.WaitAsync(Wait));
    }

    [Fact]
    public async Task Should_keep_reading_for_the_callers_still_waiting_when_one_leaves_and_send_nothing_when_all_left()
    {
        var gateway = new FakeLiveOrdersGateway();
        var reads = new SharedLiveOrders(gateway);
        var first = reads.ReadAsync("alice", CancellationToken.None);
        using var leaves = new CancellationTokenSource();
        var leaving = reads.ReadAsync("alice", leaves.Token);
        var staying = reads.ReadAsync("alice", CancellationToken.None);

        await leaves.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Wait));
        gateway.AnswerNext();
        await first.WaitAsync(Wait);
        gateway.AnswerNext("op-1");
        Assert.Single(await staying.WaitAsync(Wait));

        // Everyone waiting for a queued read leaves: it is never sent.
        var third = reads.ReadAsync("alice", CancellationToken.None);
        using var allLeave = new CancellationTokenSource();
        var abandoned = reads.ReadAsync("alice", allLeave.Token);
        await allLeave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Wait));
        gateway.AnswerNext();
        await third.WaitAsync(Wait);
        await Task.Delay(50);
        output.WriteLine($"reads sent: {gateway.Sent} (the abandoned queued read was not sent)");
        Assert.Equal(3, gateway.Sent);
    }

    [Fact]
    public async Task Should_answer_a_caller_who_asks_after_everyone_left_the_queued_read_with_a_read_of_its_own()
    {
        var gateway = new FakeLiveOrdersGateway();
        var reads = new SharedLiveOrders(gateway);
        var first = reads.ReadAsync("alice", CancellationToken.None);
        using var leaves = new CancellationTokenSource();
        var leaving = reads.ReadAsync("alice", leaves.Token);
        await leaves.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving.WaitAsync(Wait));

        // A reconcile asks now: it must not join the queued read its only waiter just cancelled.
        var reconcile = reads.ReadAsync("alice", CancellationToken.None);
        gateway.AnswerNext();
        await first.WaitAsync(Wait);
        gateway.AnswerNext("op-sent");
        IReadOnlyList<Brokerage.Ibkr.Orders.LiveOrder>? answer = null;
        var outcome = await Record.ExceptionAsync(async () => answer = await reconcile.WaitAsync(Wait));
        output.WriteLine($"the reconcile after the only waiter left: {(outcome is null ? $"answered ({answer?.Count} orders)" : outcome.GetType().Name)}; reads sent: {gateway.Sent}");
        Assert.Null(outcome);
        Assert.Equal("op-sent", Assert.Single(answer!).OrderRef);
    }

    [Fact]
    public async Task Should_read_each_user_on_its_own()
    {
        var gateway = new FakeLiveOrdersGateway();
        gateway.Hanging["stuck"] = true;
        gateway.Instant["free"] = true;
        var reads = new SharedLiveOrders(gateway);
        using var cancel = new CancellationTokenSource();
        var stuck = reads.ReadAsync("stuck", cancel.Token);

        var free = await reads.ReadAsync("free", CancellationToken.None).WaitAsync(Wait);
        output.WriteLine($"free answered while stuck waits: {free.Count} orders, stuck completed: {stuck.IsCompleted}");
        Assert.False(stuck.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stuck);
    }
}

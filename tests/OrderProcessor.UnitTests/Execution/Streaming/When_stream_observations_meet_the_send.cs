using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Work;
using OrderProcessor.Orders;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// IBKR streams a new order's first <c>sor</c> frame (and a market order's fill) often before the place answer arrives:
/// the saga is still Submitting and the table leaves reports to the send. The intake keeps them and applies them once
/// the send's answer is written, so the fill does not wait for the next REST read.
/// </summary>
public sealed class When_stream_observations_meet_the_send(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_apply_a_fill_that_streamed_in_before_the_answer_once_the_answer_is_written()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        var work = new ClaimedWork(OrderWork.Submit, token, group, 1);

        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "PreSubmitted")]);
        await kit.FrameAsync(str: [StreamKit.Execution("e1", "1000", 10, 189.52m, order.ClientOrderId)],
            sor: [StreamKit.Delta("1000", "Filled", filled: 10, remaining: 0, average: 189.52m)]);
        var whileSending = kit.Store.Find(order.ClientOrderId);
        var retained = kit.Intake.Retained;
        var filledWhileSending = kit.EventsOf<OrderFilled>();
        var writesBefore = kit.Store.Writes;

        Assert.True(await kit.Results.ApplyAsync(work, Sagas.Accept(token, group)));
        var saga = kit.Store.Find(order.ClientOrderId);
        var writes = kit.Store.Writes - writesBefore;
        output.WriteLine($"while Submitting: {whileSending.Status}, reports retained {retained}, events {filledWhileSending} OrderFilled; " +
            $"after SubmissionAccepted: {saga.Status} {saga.FilledQuantity} @ {saga.AveragePrice} in {writes} write(s), events {string.Join(", ", kit.Store.Events.Select(e => e.GetType().Name))}");

        Assert.Equal(OrderStatus.Submitting, whileSending.Status);
        Assert.Equal(2, retained);
        Assert.Equal(0, filledWhileSending);
        Assert.Equal((OrderStatus.Filled, 10m, 189.52m), (saga.Status, saga.FilledQuantity, saga.AveragePrice));
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
        Assert.Equal(0, kit.Gateway.Sent);

        // The answer and the fill that streamed in before it are one transaction, events in their order.
        Assert.Equal(1, writes);
        Assert.Equal(["OrderSubmitted", "OrderFilled"], kit.Store.Events.Select(e => e.GetType().Name).Where(n => n is "OrderSubmitted" or "OrderFilled"));
    }

    [Fact]
    public async Task Should_keep_the_reports_of_an_order_this_instance_is_sending_without_a_write_of_their_own()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        var work = new ClaimedWork(OrderWork.Submit, token, group, 1);
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Submitted")]);
        var writesOfAnUnmarkedOrder = kit.Store.Writes;

        kit.Results.Sending(work, group);
        var before = kit.Store.Writes;
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Filled", 10, 189.52m)]);
        var writesWhileSending = kit.Store.Writes - before;
        Assert.True(await kit.Results.ApplyAsync(work, Sagas.Accept(token, group)));
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"a report of an order not marked as being sent: {writesOfAnUnmarkedOrder} store write(s); marked: {writesWhileSending}; " +
            $"after the answer: {saga.Status} {saga.FilledQuantity}, {kit.Store.Writes - before} write(s) in all, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal(1, writesOfAnUnmarkedOrder);
        Assert.Equal(0, writesWhileSending);
        Assert.Equal((OrderStatus.Filled, 10m), (saga.Status, saga.FilledQuantity));
        Assert.Equal(1, kit.Store.Writes - before);
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }

    [Fact]
    public async Task Should_write_the_reports_of_an_order_whose_send_outlived_the_work_lease()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        kit.Results.Sending(new ClaimedWork(OrderWork.Submit, token, group, 1), group);
        kit.Time.Advance(kit.Options.Value.WorkLease + TimeSpan.FromSeconds(1));

        var before = kit.Store.Writes;
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Submitted")]);
        output.WriteLine($"a report {kit.Options.Value.WorkLease.TotalSeconds + 1} s after the send began (no answer written): {kit.Store.Writes - before} store write(s)");

        // The send never answered (interrupted): past the lease the order is reconciled, and its reports go to the store.
        Assert.Equal(1, kit.Store.Writes - before);
    }

    [Fact]
    public async Task Should_write_a_report_that_changed_during_the_answers_write_after_it()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Submitted")]);

        // The fill streams in while the answer (carrying the Submitted report) is being decided.
        var answer = Sagas.Accept(token, group);
        var results = new WorkResults(new FrameDuringWrite(kit, () => kit.FrameAsync(
            str: [StreamKit.Execution("e1", "1000", 10, 189.52m, order.ClientOrderId)],
            sor: [StreamKit.Delta("1000", "Filled", filled: 10, remaining: 0, average: 189.52m)])), Sagas.Settings, kit.Time, kit.Intake);
        Assert.True(await results.ApplyAsync(new ClaimedWork(OrderWork.Submit, token, group, 1), answer));
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"Submitted streamed before the answer, Filled during its write: {saga.Status} {saga.FilledQuantity}, " +
            $"events {string.Join(", ", kit.Store.Events.Select(e => e.GetType().Name))}");

        Assert.Equal((OrderStatus.Filled, 10m), (saga.Status, saga.FilledQuantity));
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }

    /// <summary>The kit's store, with a stream frame arriving while the answer's transaction is decided.</summary>
    private sealed class FrameDuringWrite(StreamKit kit, Func<ValueTask> frame) : IOrderStore
    {
        public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
        {
            frame().AsTask().GetAwaiter().GetResult();
            return kit.Store.UpdateGroupAsync(work, transition, cancellationToken);
        }

        public Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
            Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
            kit.Store.UpdateOpenOrdersAsync(userId, epoch, clientOrderIds, transition, cancellationToken);

        public Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken) =>
            kit.Store.FollowedOrdersAsync(userId, changedBefore, cancellationToken);

        public Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken) =>
            kit.Store.UsersToFollowAsync(cancellationToken);

        public Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken) =>
            kit.Store.ClaimDueWorkAsync(budget, cancellationToken);
    }

    [Fact]
    public async Task Should_not_apply_anything_twice_when_the_answer_was_written_first()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        Assert.True(await kit.Results.ApplyAsync(new ClaimedWork(OrderWork.Submit, token, group, 1), Sagas.Accept(token, group)));

        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Filled", 10, 189.52m)]);
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Filled", 10, 189.52m)]);
        output.WriteLine($"answer first, then Filled twice: retained {kit.Intake.Retained}, applied {kit.Intake.Applied}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal((0L, 1L), (kit.Intake.Retained, kit.Intake.Applied));
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }

    [Fact]
    public async Task Should_keep_a_report_through_an_ambiguous_answer_and_apply_it_after_the_reconciliation()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Filled", 10, 189.52m)]);

        Assert.True(await kit.Results.ApplyAsync(new ClaimedWork(OrderWork.Submit, token, group, 1), new SubmissionAmbiguous(token, "timeout")));
        var afterAmbiguous = kit.Store.Find(order.ClientOrderId);
        var reconciling = kit.Store.Orders.Where(o => group.Any(g => g.OrderId == o.OrderId)).ToList();
        var (reconcileToken, work, _) = Sagas.Claim(reconciling);
        Assert.Equal(OrderWork.Reconcile, work);
        var seen = new Dictionary<string, BrokerOrderObservation> { [order.ClientOrderId] = new(order.ClientOrderId, "1000", BrokerOrderState.PreSubmitted, 0, 10, null) };
        Assert.True(await kit.Results.ApplyAsync(new ClaimedWork(OrderWork.Reconcile, reconcileToken, reconciling, 1), new ReconcileRead(reconcileToken, seen)));
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"Filled streamed while sending; after the ambiguous answer: {afterAmbiguous.Status}; after the reconciliation (which saw it PreSubmitted): " +
            $"{saga.Status} {saga.FilledQuantity}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal(OrderStatus.Submitting, afterAmbiguous.Status);
        Assert.Equal((OrderStatus.Filled, 10m), (saga.Status, saga.FilledQuantity));
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }

    [Fact]
    public async Task Should_drop_a_kept_report_older_than_the_work_lease()
    {
        var kit = new StreamKit();
        var (token, group) = Sagas.Submitting();
        kit.Store.Orders.AddRange(group);
        var order = group[0];
        await kit.FrameAsync(sor: [StreamKit.Full(order, "1000", "Submitted")]);
        kit.Time.Advance(kit.Options.Value.WorkLease + TimeSpan.FromSeconds(1));

        Assert.True(await kit.Results.ApplyAsync(new ClaimedWork(OrderWork.Submit, token, group, 1), Sagas.Accept(token, group)));
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"answer written {kit.Options.Value.WorkLease.TotalSeconds + 1} s after the report: {saga.Status} (the REST reads take it from there)");

        Assert.Equal(OrderStatus.Submitted, saga.Status);
    }
}

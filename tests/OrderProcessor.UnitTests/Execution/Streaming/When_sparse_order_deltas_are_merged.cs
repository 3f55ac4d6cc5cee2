using OrderProcessor.Contracts;
using OrderProcessor.Execution.Streaming;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// <c>sor</c> frames are sparse deltas (later ones carry the identity and what changed, some only the identity) and may
/// come reordered: the book merges them into what is known, monotonically.
/// </summary>
public sealed class When_sparse_order_deltas_are_merged(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_keep_what_a_delta_leaves_out_and_take_what_it_carries()
    {
        var order = Sagas.Submitted()[0];
        var book = new StreamedOrderBook();
        book.Merge(StreamKit.Full(order, "7001", "PreSubmitted"), At);
        var partial = book.Merge(StreamKit.Delta("7001", "Submitted", filled: 4, remaining: 6, average: 100.5m), At)!;
        var identity = book.Merge(StreamKit.Delta("7001"), At)!;
        output.WriteLine($"after a partial-fill delta: {partial.Status} {partial.FilledQuantity}/{partial.TotalSize} at {partial.AvgPrice}, cOID {partial.OrderRef}; " +
            $"after an identity-only delta: {identity.Status} {identity.FilledQuantity} remaining {identity.RemainingQuantity} at {identity.AvgPrice}");

        Assert.Equal((order.ClientOrderId, "Submitted", 4m, 6m, 100.5m, 10m), (partial.OrderRef, partial.Status, partial.FilledQuantity, partial.RemainingQuantity, partial.AvgPrice, partial.TotalSize));
        Assert.Equal((order.ClientOrderId, "Submitted", 4m, 6m, 100.5m), (identity.OrderRef, identity.Status, identity.FilledQuantity, identity.RemainingQuantity, identity.AvgPrice));
    }

    [Fact]
    public void Should_never_lower_the_fill_nor_reopen_an_ended_order_when_frames_come_reversed()
    {
        var order = Sagas.Submitted()[0];
        var book = new StreamedOrderBook();
        book.Merge(StreamKit.Full(order, "7002", "Submitted"), At);
        book.Merge(StreamKit.Delta("7002", "Filled", filled: 10, remaining: 0, average: 101m), At);
        var late = book.Merge(StreamKit.Delta("7002", "Submitted", filled: 4, remaining: 6, average: 100.5m), At)!;
        output.WriteLine($"Filled 10 @ 101 then a late 'Submitted 4 @ 100.5': {late.Status} {late.FilledQuantity} remaining {late.RemainingQuantity} @ {late.AvgPrice}");

        Assert.Equal(("Filled", 10m, 0m, 101m), (late.Status, late.FilledQuantity, late.RemainingQuantity, late.AvgPrice));
    }

    [Fact]
    public void Should_find_orders_by_their_cOID_once_a_frame_names_it_and_forget_them_when_pruned()
    {
        var order = Sagas.Submitted()[0];
        var book = new StreamedOrderBook();
        book.Merge(StreamKit.Delta("7010", "PreSubmitted"), At);
        var beforeTheCoid = book.WithClientOrderId(order.ClientOrderId).Count();
        book.Merge(StreamKit.Full(order, "7010", "Submitted"), At);
        book.Merge(StreamKit.Delta("7010", "Submitted", filled: 2), At);
        // IBKR took the cOID twice (a resend whose first answer was lost): both are found, in the order first seen.
        book.Merge(StreamKit.Full(order, "7011", "Submitted"), At + TimeSpan.FromHours(2));
        var both = book.WithClientOrderId(order.ClientOrderId).Select(o => o.OrderId).ToList();
        var pruned = book.Prune(At + TimeSpan.FromHours(1));
        var afterPrune = book.WithClientOrderId(order.ClientOrderId).Select(o => o.OrderId).ToList();
        book.Prune(At + TimeSpan.FromHours(3));
        output.WriteLine($"before the cOID: {beforeTheCoid}; both: {string.Join(", ", both)}; pruned {pruned}, then: {string.Join(", ", afterPrune)}; " +
            $"at the end {book.WithClientOrderId(order.ClientOrderId).Count()} of {book.Count}");

        Assert.Equal(0, beforeTheCoid);
        Assert.Equal(["7010", "7011"], both);
        Assert.Equal(1, pruned);
        Assert.Equal(["7011"], afterPrune);
        Assert.Empty(book.WithClientOrderId(order.ClientOrderId));
        Assert.Empty(book.WithClientOrderId("unknown"));
    }

    [Fact]
    public async Task Should_write_a_fill_reported_by_a_delta_without_the_cOID_once_a_read_seeded_it()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        kit.Gateway.Listed[StreamKit.User] = [StreamKit.Full(order, "7004", "Submitted")];
        await kit.FrameAsync(sor: [StreamKit.Delta("7005", "Filled", filled: 10)]);
        var unmappedBeforeRead = kit.Intake.Unmapped;

        await kit.ConnectAsync();
        await kit.FrameAsync(sor: [StreamKit.Delta("7004", "Submitted", filled: 3, remaining: 7, average: 99m)]);
        await kit.FrameAsync(sor: [StreamKit.Delta("7004", "Filled", filled: 10, remaining: 0, average: 99.5m)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"a delta for an unseeded order: {unmappedBeforeRead} unmapped; after the read: saga {saga.Status} {saga.FilledQuantity} @ {saga.AveragePrice}, " +
            $"events OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal(1, unmappedBeforeRead);
        Assert.Equal((OrderStatus.Filled, 10m, 99.5m), (saga.Status, saga.FilledQuantity, saga.AveragePrice));
        Assert.Equal((1, 1), (kit.EventsOf<OrderPartiallyFilled>(), kit.EventsOf<OrderFilled>()));
    }
}

using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>No trading halt is ever active (the behaviour before the kill switch).</summary>
public sealed class NoHalts : ITradingHalts
{
    public Task<HaltView?> ActiveForAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct) =>
        Task.FromResult<HaltView?>(null);

    public Task<IReadOnlyList<HaltView>> ActiveAsync(OrderProcessorDbContext db, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<HaltView>>([]);

    public BatchRead<IReadOnlyList<HaltView>> ActiveRead() => BatchRead<IReadOnlyList<HaltView>>.Of([]);
}

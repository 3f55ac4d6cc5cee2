using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// A user's live orders, one read shared by the status poll, the reconciles and the cancels that look an order up
/// (<see cref="SharedReads{TKey, TAnswer}"/>: always a read that began after the caller asked).
/// </summary>
public sealed class SharedLiveOrders(IBrokerageGateway gateway, Telemetry.OrderProcessorMetrics? metrics = null)
{
    private readonly SharedReads<string, IReadOnlyList<LiveOrder>> _reads =
        new((userId, cancellationToken) => gateway.GetLiveOrdersAsync(userId, cancellationToken: cancellationToken), () => metrics?.LiveOrdersRead());

    /// <summary>Reads that reached the guard (for tests and the simulation).</summary>
    public long ReadsSent => _reads.ReadsSent;

    /// <summary>Callers answered by a read another caller's need started (reads saved).</summary>
    public long Shared => _reads.Shared;

    /// <summary>The live orders of <paramref name="userId"/> from a read that began after this call did.</summary>
    public Task<IReadOnlyList<LiveOrder>> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return _reads.ReadAsync(userId, cancellationToken);
    }
}

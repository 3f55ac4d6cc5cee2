using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// A user's trades of the last N days, one read shared by the reconciles and settlements that need the same days
/// (<see cref="SharedReads{TKey, TAnswer}"/>: always a read that began after the caller asked). IBKR paces the trades
/// read like the live orders, one per 5 s per user: after a restart every order the new session no longer lists is
/// settled from the trades, and separate reads queued so long behind each other that works ran out of their lease
/// waiting, each such claim spending an attempt with nothing learnt.
/// </summary>
public sealed class SharedTrades(IBrokerageGateway gateway)
{
    private readonly SharedReads<(string UserId, int Days), IReadOnlyList<Trade>> _reads =
        new((key, cancellationToken) => gateway.GetTradesAsync(key.UserId, key.Days, cancellationToken));

    /// <summary>Reads that reached the guard (for tests and the simulation).</summary>
    public long ReadsSent => _reads.ReadsSent;

    /// <summary>Callers answered by a read another caller's need started (reads saved).</summary>
    public long Shared => _reads.Shared;

    /// <summary>The trades of <paramref name="userId"/> over <paramref name="days"/> days from a read that began after this call did.</summary>
    public Task<IReadOnlyList<Trade>> ReadAsync(string userId, int days, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return _reads.ReadAsync((userId, days), cancellationToken);
    }
}

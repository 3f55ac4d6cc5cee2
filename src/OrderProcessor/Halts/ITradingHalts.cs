using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>The active trading halts (kill switch), read inside the caller's transaction so a committed halt is seen at once.</summary>
public interface ITradingHalts
{
    /// <summary>The active halt that covers the user or the account (or everyone), if any.</summary>
    Task<HaltView?> ActiveForAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct);

    /// <summary>
    /// Every active halt, read once for a caller that decides for many users and accounts in one transaction (a claim);
    /// <see cref="Covering"/> picks each one's.
    /// </summary>
    Task<IReadOnlyList<HaltView>> ActiveAsync(OrderProcessorDbContext db, CancellationToken ct);

    /// <summary>
    /// <see cref="ActiveAsync"/> as a read that rides in the caller's batch (with its locks and inbox check): the shared
    /// lock and the read, to run inside the caller's transaction.
    /// </summary>
    BatchRead<IReadOnlyList<HaltView>> ActiveRead();

    /// <summary>The halt among <paramref name="active"/> that covers the user or the account: the oldest (all refuse alike).</summary>
    static HaltView? Covering(IEnumerable<HaltView> active, string? userId, string? accountId) =>
        active.Where(h => h.Scope == HaltScope.All
                || (h.Scope == HaltScope.Account && h.ScopeKey == (accountId ?? string.Empty))
                || (h.Scope == HaltScope.User && h.ScopeKey == (userId ?? string.Empty)))
            .OrderBy(h => h.HaltedAt).ThenBy(h => h.HaltId).FirstOrDefault();
}

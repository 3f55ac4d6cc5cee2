using System.Collections.Concurrent;
using OrderProcessor.Brokerage.Gateway;

namespace OrderProcessor.Execution;

/// <summary>
/// Which IBKR accounts each user has, read from IBKR and kept for a few minutes: an order for an account the user does
/// not own is refused before it is sent, without an IBKR call per order. Concurrent lookups for one user share one read.
/// </summary>
public sealed class AccountDirectory(IBrokerageGateway gateway, TimeProvider timeProvider)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, Lazy<Task<(IReadOnlyList<string> Accounts, DateTimeOffset ReadAt)>>> _reads = new(StringComparer.Ordinal);

    public async Task<bool> OwnsAsync(string userId, string accountId, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(userId, cancellationToken);
        if (read.Accounts.Contains(accountId, StringComparer.Ordinal))
        {
            return true;
        }

        // Not there: the user may have been given the account since the last read; read once more before refusing.
        if (timeProvider.GetUtcNow() - read.ReadAt > TimeSpan.FromSeconds(5))
        {
            Forget(userId, read);
            read = await ReadAsync(userId, cancellationToken);
        }

        return read.Accounts.Contains(accountId, StringComparer.Ordinal);
    }

    private async Task<(IReadOnlyList<string> Accounts, DateTimeOffset ReadAt)> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _reads.GetOrAdd(userId, _ => new Lazy<Task<(IReadOnlyList<string>, DateTimeOffset)>>(
                async () => (await gateway.GetAccountsAsync(userId, CancellationToken.None), timeProvider.GetUtcNow())));
            try
            {
                var read = await lazy.Value.WaitAsync(cancellationToken);
                if (timeProvider.GetUtcNow() - read.ReadAt <= Freshness)
                {
                    return read;
                }

                _reads.TryRemove(new KeyValuePair<string, Lazy<Task<(IReadOnlyList<string>, DateTimeOffset)>>>(userId, lazy));
            }
            catch (Exception) when (lazy.Value.IsFaulted)
            {
                _reads.TryRemove(new KeyValuePair<string, Lazy<Task<(IReadOnlyList<string>, DateTimeOffset)>>>(userId, lazy));
                throw;
            }
        }
    }

    /// <summary>Users with an account read in memory; for the pruning figures.</summary>
    public int Count => _reads.Count;

    /// <summary>Drops the account reads past their freshness (they would be read again anyway): idle users leave nothing.</summary>
    public int Prune()
    {
        var pruned = 0;
        var now = timeProvider.GetUtcNow();
        foreach (var (userId, lazy) in _reads)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompleted
                && (!lazy.Value.IsCompletedSuccessfully || now - lazy.Value.Result.ReadAt > Freshness)
                && _reads.TryRemove(new KeyValuePair<string, Lazy<Task<(IReadOnlyList<string>, DateTimeOffset)>>>(userId, lazy)))
            {
                pruned++;
            }
        }

        return pruned;
    }

    private void Forget(string userId, (IReadOnlyList<string> Accounts, DateTimeOffset ReadAt) read)
    {
        if (_reads.TryGetValue(userId, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result == read)
        {
            _reads.TryRemove(new KeyValuePair<string, Lazy<Task<(IReadOnlyList<string>, DateTimeOffset)>>>(userId, lazy));
        }
    }
}

using System.Collections.Concurrent;
using OrderProcessor.Brokerage.Gateway;

namespace OrderProcessor.Execution;

/// <summary>
/// Which IBKR accounts each user has, read from IBKR and kept for a few minutes: an order for an account the user does
/// not own is refused before it is sent, without an IBKR call per order.
/// </summary>
public sealed class AccountDirectory(IBrokerageGateway gateway, TimeProvider timeProvider)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Accounts, DateTimeOffset ReadAt)> _accounts = new(StringComparer.Ordinal);

    public async Task<bool> OwnsAsync(string userId, string accountId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!_accounts.TryGetValue(userId, out var known) || now - known.ReadAt > Freshness || !known.Accounts.Contains(accountId))
        {
            known = (await gateway.GetAccountsAsync(userId, cancellationToken), now);
            _accounts[userId] = known;
        }

        return known.Accounts.Contains(accountId, StringComparer.Ordinal);
    }
}

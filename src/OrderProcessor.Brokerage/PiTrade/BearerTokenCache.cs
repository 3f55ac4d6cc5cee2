using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>
/// Bearer tokens per user (and per egress IP when configured), refreshed ahead of expiry and after a 401.
/// Single-flight: however many callers find the token missing or due at once, one request goes to PiTrade.
/// </summary>
internal sealed class BearerTokenCache
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly IPiTradeBearerTokenClient _client;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics? _metrics;

    public BearerTokenCache(IPiTradeBearerTokenClient client, TimeProvider time, IOptionsMonitor<BrokerageOptions> options, BrokerageMetrics? metrics = null)
    {
        _client = client;
        _time = time;
        _options = options;
        _metrics = metrics;
    }

    public async Task<BearerToken> GetAsync(string userId, CancellationToken cancellationToken)
    {
        var ip = EgressIp;
        var slot = _slots.GetOrAdd(Key(userId, ip), static _ => new Slot());
        Task<BearerToken> pending;
        lock (slot.Sync)
        {
            if (slot.Token is { } token && _time.GetUtcNow() < token.RefreshAt(_options.CurrentValue.PiTrade.TokenRefreshAhead))
            {
                return token;
            }

            // The fetch belongs to no single caller: one caller giving up must not fail the others.
            slot.Pending ??= FetchAsync(slot, userId, ip);
            pending = slot.Pending;
        }

        return await pending.WaitAsync(cancellationToken);
    }

    /// <summary>Drops <paramref name="rejected"/> if it is still the cached token, so that a burst of 401s causes one refresh.</summary>
    public void Invalidate(string userId, BearerToken rejected)
    {
        if (_slots.TryGetValue(Key(userId, EgressIp), out var slot))
        {
            lock (slot.Sync)
            {
                if (ReferenceEquals(slot.Token, rejected))
                {
                    slot.Token = null;
                }
            }
        }
    }

    private string? EgressIp => _options.CurrentValue.PiTrade.EgressIp is { Length: > 0 } ip ? ip : null;

    private static string Key(string userId, string? ip) => ip is null ? userId : $"{userId}@{ip}";

    private async Task<BearerToken> FetchAsync(Slot slot, string userId, string? ip)
    {
        await Task.Yield();
        try
        {
            _metrics?.TokenRequested();
            var token = await _client.RequestTokenAsync(userId, ip, CancellationToken.None);
            lock (slot.Sync)
            {
                slot.Token = token;
                slot.Pending = null;
            }

            return token;
        }
        catch
        {
            lock (slot.Sync)
            {
                slot.Pending = null;
            }

            throw;
        }
    }

    private sealed class Slot
    {
        public Lock Sync { get; } = new();

        public BearerToken? Token { get; set; }

        public Task<BearerToken>? Pending { get; set; }
    }
}

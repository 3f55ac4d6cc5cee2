using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;

namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>
/// Bearer tokens per user (and per egress IP when configured), refreshed ahead of expiry and after a 401.
/// Single-flight: however many callers find the token missing or due at once, one request goes to PiTrade.
/// A refresh that fails while the cached token is still valid for another attempt falls back to that token.
/// While PiTrade refuses the partner credentials (<see cref="PartnerStatus"/>) only a probe goes to PiTrade.
/// </summary>
internal sealed class BearerTokenCache
{
    private const string Endpoint = "pitrade-bearer-token";
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly IPiTradeBearerTokenClient _client;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics? _metrics;
    private readonly PartnerStatus? _partner;

    public BearerTokenCache(
        IPiTradeBearerTokenClient client,
        TimeProvider time,
        IOptionsMonitor<BrokerageOptions> options,
        BrokerageMetrics? metrics = null,
        PartnerStatus? partner = null)
    {
        _client = client;
        _time = time;
        _options = options;
        _metrics = metrics;
        _partner = partner;
    }

    /// <summary>Users (and IPs) with a token slot; for the pruning figures.</summary>
    public int Count => _slots.Count;

    public Task<BearerToken> GetAsync(string userId, CancellationToken cancellationToken) => GetAsync(userId, force: false, cancellationToken);

    /// <summary>
    /// The token to send now: the cached one while it is valid for another attempt (even when due for its refresh: no
    /// PiTrade call between a pacing slot and its send), otherwise as <see cref="GetAsync(string, CancellationToken)"/>.
    /// </summary>
    public Task<BearerToken> GetForSendAsync(string userId, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(Key(userId, EgressIp), out var slot))
        {
            lock (slot.Sync)
            {
                if (slot.Token is { } token && _time.GetUtcNow() + _options.CurrentValue.Timeouts.Attempt < token.ExpiresAt)
                {
                    return Task.FromResult(token);
                }
            }
        }

        return GetAsync(userId, force: false, cancellationToken);
    }

    /// <summary>
    /// While submissions are stopped for the partner: asks PiTrade for a fresh token of <paramref name="userId"/> when a
    /// probe is due (its success resumes everyone), and otherwise refuses with <see cref="BrokerageFailureKind.PartnerStopped"/>.
    /// </summary>
    public async Task EnsurePartnerAcceptedAsync(string userId, CancellationToken cancellationToken)
    {
        if (_partner?.Stop is not { } stop)
        {
            return;
        }

        if (!_partner.MayAsk())
        {
            throw Stopped(userId, stop.Reason);
        }

        await GetAsync(userId, force: true, cancellationToken);
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

    /// <summary>
    /// Forgets an idle user's tokens (every IP; a key is the user id, '@', the IP, and an IP has no '@', so another user
    /// whose id starts with this one and an '@' keeps its slots); a fetch under way keeps its slot.
    /// </summary>
    public void Forget(string userId)
    {
        foreach (var key in _slots.Keys.Where(k => k == userId || (k.StartsWith(userId + "@", StringComparison.Ordinal) && k.LastIndexOf('@') == userId.Length)))
        {
            if (_slots.TryGetValue(key, out var slot))
            {
                lock (slot.Sync)
                {
                    if (slot.Pending is null)
                    {
                        _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                    }
                }
            }
        }
    }

    private async Task<BearerToken> GetAsync(string userId, bool force, CancellationToken cancellationToken)
    {
        var ip = EgressIp;
        var slot = _slots.GetOrAdd(Key(userId, ip), static _ => new Slot());
        Task<BearerToken> pending;
        BearerToken? stillValid;
        var now = _time.GetUtcNow();
        lock (slot.Sync)
        {
            var cached = slot.Token;
            if (!force && cached is not null && now < cached.RefreshAt(_options.CurrentValue.PiTrade.TokenRefreshAhead))
            {
                return cached;
            }

            stillValid = cached is not null && now + _options.CurrentValue.Timeouts.Attempt < cached.ExpiresAt ? cached : null;
            if (slot.Pending is null && !force && _partner is not null && !_partner.MayAsk())
            {
                // PiTrade refuses the partner: no request until the next probe; a token still valid keeps working.
                return stillValid ?? throw Stopped(userId, _partner.Stop?.Reason);
            }

            // The fetch belongs to no single caller: one caller giving up must not fail the others.
            slot.Pending ??= FetchAsync(slot, userId, ip);
            pending = slot.Pending;
        }

        try
        {
            return await pending.WaitAsync(cancellationToken);
        }
        catch (BrokerageException) when (stillValid is not null && !force && _time.GetUtcNow() + _options.CurrentValue.Timeouts.Attempt < stillValid.ExpiresAt)
        {
            // A refresh ahead of expiry failed: the token we have still carries this call.
            return stillValid;
        }
    }

    private string? EgressIp => _options.CurrentValue.PiTrade.EgressIp is { Length: > 0 } ip ? ip : null;

    private static string Key(string userId, string? ip) => ip is null ? userId : $"{userId}@{ip}";

    private static BrokerageException Stopped(string userId, string? reason) => new(
        BrokerageFailureKind.PartnerStopped,
        $"PiTrade refuses our partner credentials ({reason ?? "see the critical log"}); submissions wait until it is fixed.",
        userId, Endpoint, reason);

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

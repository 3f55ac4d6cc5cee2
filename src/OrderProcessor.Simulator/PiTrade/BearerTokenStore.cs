using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.PiTrade;

/// <summary>The bearer tokens issued so far.</summary>
public sealed class BearerTokenStore(IOptions<SimulatorOptions> options, SimulatorClock time)
{
    private readonly ConcurrentDictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => options.Value.BearerTokenLifetime;

    public BearerToken Issue(string userId, string ip)
    {
        var now = time.GetUtcNow();
        foreach (var stale in _tokens.Where(t => t.Value.ExpiresAt <= now))
            _tokens.TryRemove(stale.Key, out _);
        var token = new BearerToken(
            Base64Url.Encode(RandomNumberGenerator.GetBytes(32)), userId, ip, now + options.Value.BearerTokenLifetime);
        _tokens[token.Value] = token;
        return token;
    }

    /// <summary>The token's owner, or why the token cannot be used from this IP now.</summary>
    public (BearerToken? Token, string? Failure) Resolve(string? value, string callerIp)
    {
        if (string.IsNullOrEmpty(value) || !_tokens.TryGetValue(value, out var token))
            return (null, "Invalid access token");
        if (token.ExpiresAt <= time.GetUtcNow())
            return (null, "Access token expired");
        if (!string.Equals(token.Ip, callerIp, StringComparison.Ordinal))
            return (null, "Access token is bound to another IP");
        return (token, null);
    }

    public void Revoke(string value) => _tokens.TryRemove(value, out _);

    public void Clear() => _tokens.Clear();
}

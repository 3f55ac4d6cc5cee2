namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>A PiTrade bearer token for one user (and IP). <see cref="ToString"/> never shows the value.</summary>
internal sealed class BearerToken
{
    public BearerToken(string value, DateTimeOffset obtainedAt, TimeSpan lifetime, string? boundIp)
    {
        Value = value;
        ObtainedAt = obtainedAt;
        Lifetime = lifetime;
        BoundIp = boundIp;
    }

    public string Value { get; }

    public DateTimeOffset ObtainedAt { get; }

    public TimeSpan Lifetime { get; }

    public string? BoundIp { get; }

    public DateTimeOffset ExpiresAt => ObtainedAt + Lifetime;

    /// <summary>When to replace the token: <paramref name="refreshAhead"/> before expiry, at most half its lifetime early.</summary>
    public DateTimeOffset RefreshAt(TimeSpan refreshAhead)
    {
        var ahead = refreshAhead < Lifetime / 2 ? refreshAhead : Lifetime / 2;
        return ExpiresAt - ahead;
    }

    public override string ToString() => $"BearerToken(expires {ExpiresAt:O})";
}

namespace OrderProcessor.Brokerage.Configuration;

/// <summary>PiTrade's bearer-token gateway and our partner credentials.</summary>
public sealed class PiTradeOptions
{
    /// <summary>Root of PiTrade's API; the bearer-token call is POST {BaseUrl}/brokerage-bearer-token.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Partner client id, the <c>clientId</c> claim of the partner JWT.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Partner secret that signs the partner JWT (HS256). Never logged.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>The public IP our IBKR traffic leaves from; when set, tokens are requested for and cached per this IP.</summary>
    public string? EgressIp { get; set; }

    /// <summary>How long before its expiry a bearer token is replaced (capped at half the token's lifetime).</summary>
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// While PiTrade refuses our partner credentials (or the partner JWT's clock), submissions stop for everyone and one
    /// probe token request is made this often; the first success resumes.
    /// </summary>
    public TimeSpan PartnerProbeInterval { get; set; } = TimeSpan.FromSeconds(30);
}

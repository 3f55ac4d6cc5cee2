using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>
/// Mints the partner JWT (clientId, iat, exp = iat + 15 min, jti; HS256 with the apiKey) and caches it until
/// a third of its lifetime is left. The JWT is only ever handed to <see cref="PiTradeBearerTokenClient"/>.
/// </summary>
internal sealed class PartnerJwtIssuer
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan RenewAhead = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Lock _sync = new();
    private string? _token;
    private DateTimeOffset _renewAt;

    public PartnerJwtIssuer(TimeProvider time, IOptionsMonitor<BrokerageOptions> options)
    {
        _time = time;
        _options = options;
    }

    public string GetToken()
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            if (_token is null || now >= _renewAt)
            {
                _token = Mint(now);
                _renewAt = now + Lifetime - RenewAhead;
            }

            return _token;
        }
    }

    /// <summary>Forgets the cached JWT, e.g. after PiTrade refused it.</summary>
    public void Discard()
    {
        lock (_sync)
        {
            _token = null;
        }
    }

    private string Mint(DateTimeOffset now)
    {
        var settings = _options.CurrentValue.PiTrade;
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.ApiKey));
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["clientId"] = settings.ClientId,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            IssuedAt = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }
}

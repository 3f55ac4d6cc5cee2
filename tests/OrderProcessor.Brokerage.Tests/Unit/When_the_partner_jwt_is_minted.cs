using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_partner_jwt_is_minted
{
    private const string ApiKey = "unit-test-partner-api-key-0123456789abcdef";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly BrokerageOptions _options = new() { PiTrade = { ClientId = "partner-1", ApiKey = ApiKey } };

    [Fact]
    public async Task Should_carry_client_id_iat_exp_15_minutes_later_and_jti_signed_hs256_with_the_api_key()
    {
        var issuer = new PartnerJwtIssuer(_time, new StaticOptionsMonitor(_options));

        var token = issuer.GetToken();

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiKey)),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var jwt = new JsonWebToken(token);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("partner-1", jwt.GetClaim("clientId").Value);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.Equal(900, jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat"));
    }

    [Fact]
    public void Should_reuse_it_and_mint_a_new_one_ahead_of_expiry()
    {
        var issuer = new PartnerJwtIssuer(_time, new StaticOptionsMonitor(_options));
        var first = issuer.GetToken();

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(first, issuer.GetToken());
        _time.Advance(TimeSpan.FromMinutes(1.5));
        var second = issuer.GetToken();

        Assert.NotEqual(first, second);
        Assert.NotEqual(new JsonWebToken(first).Id, new JsonWebToken(second).Id);
    }
}

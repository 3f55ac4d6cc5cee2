using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.PiTrade;

/// <summary>
/// Checks a partner JWT: HS256 signed with the partner api key, our clientId, not expired, lifetime at most 15 minutes.
/// Reads the registered TimeProvider, not the advanceable SimulatorClock: the partner mints JWTs on its own clock, which a
/// test moving IBKR's day forward does not move.
/// </summary>
public sealed class PartnerJwtValidator(IOptions<SimulatorOptions> options, TimeProvider time)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Returns null when the token is valid, otherwise why it is not.</summary>
    public string? Validate(string? jwt)
    {
        if (string.IsNullOrWhiteSpace(jwt))
            return "missing partner JWT";
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            return "malformed partner JWT";
        var headerBytes = Base64Url.TryDecode(parts[0]);
        var payloadBytes = Base64Url.TryDecode(parts[1]);
        var signature = Base64Url.TryDecode(parts[2]);
        if (headerBytes is null || payloadBytes is null || signature is null)
            return "malformed partner JWT";
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
                return "partner JWT must be signed with HS256";
            var expected = HMACSHA256.HashData(
                Encoding.UTF8.GetBytes(options.Value.PartnerApiKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, signature))
                return "invalid partner JWT signature";
            using var payload = JsonDocument.Parse(payloadBytes);
            var claims = payload.RootElement;
            if (!claims.TryGetProperty("clientId", out var clientId) || clientId.ValueKind != JsonValueKind.String
                || clientId.GetString() != options.Value.PartnerClientId)
                return "unknown clientId";
            if (!TryGetEpoch(claims, "iat", out var iat) || !TryGetEpoch(claims, "exp", out var exp))
                return "partner JWT must carry iat and exp";
            var now = time.GetUtcNow();
            if (exp <= now)
                return "partner JWT expired";
            if (iat > now + AllowedClockSkew)
                return "partner JWT issued in the future";
            if (exp - iat > MaxLifetime)
                return "partner JWT lifetime exceeds 15 minutes";
            return null;
        }
        catch (JsonException)
        {
            return "malformed partner JWT";
        }
    }

    private static bool TryGetEpoch(JsonElement claims, string name, out DateTimeOffset value)
    {
        value = default;
        if (!claims.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var seconds))
            return false;
        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}

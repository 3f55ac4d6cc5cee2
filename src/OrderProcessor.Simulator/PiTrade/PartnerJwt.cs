using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrderProcessor.Simulator.PiTrade;

/// <summary>Mints partner JWTs (HS256) the way PiTrade partners do; for tests and demos.</summary>
public static class PartnerJwt
{
    public static string Create(string clientId, string apiKey, DateTimeOffset issuedAt, DateTimeOffset expiresAt, string? jti = null)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["clientId"] = clientId,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
        });
        var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(payload);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiKey), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.Encode(signature);
    }
}

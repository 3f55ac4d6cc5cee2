using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.PiTrade;

/// <summary>The answer of <c>POST /brokerage-bearer-token</c>.</summary>
public sealed record BearerTokenResponse(
    [property: JsonPropertyName("accessToken")] string AccessToken,
    [property: JsonPropertyName("tokenType")] string TokenType,
    [property: JsonPropertyName("expiresIn")] int ExpiresIn,
    [property: JsonPropertyName("ip")] string Ip);

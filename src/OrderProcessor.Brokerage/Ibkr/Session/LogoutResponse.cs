using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Session;

public sealed class LogoutResponse
{
    [JsonPropertyName("status")]
    public bool? Status { get; init; }
}

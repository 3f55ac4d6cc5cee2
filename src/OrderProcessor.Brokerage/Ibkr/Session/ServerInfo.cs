using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Session;

public sealed class ServerInfo
{
    [JsonPropertyName("serverName")]
    public string? ServerName { get; init; }

    [JsonPropertyName("serverVersion")]
    public string? ServerVersion { get; init; }
}

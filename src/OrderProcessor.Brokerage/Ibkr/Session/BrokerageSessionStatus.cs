using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Session;

/// <summary>Answer of ssodh/init and auth/status, and tickle's iserver.authStatus (schema brokerageSessionStatus).</summary>
public sealed class BrokerageSessionStatus
{
    [JsonPropertyName("authenticated")]
    public bool? Authenticated { get; init; }

    [JsonPropertyName("established")]
    public bool? Established { get; init; }

    [JsonPropertyName("competing")]
    public bool? Competing { get; init; }

    [JsonPropertyName("connected")]
    public bool? Connected { get; init; }

    [JsonPropertyName("message")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Message { get; init; }

    [JsonPropertyName("MAC")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Mac { get; init; }

    [JsonPropertyName("fail")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Fail { get; init; }

    [JsonPropertyName("error")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Error { get; init; }

    [JsonPropertyName("serverInfo")]
    public ServerInfo? ServerInfo { get; init; }
}

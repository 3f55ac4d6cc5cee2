using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Session;

/// <summary>Answer of POST /tickle (successfulTickleResponse | failedTickleResponse). Fields go missing in live answers: all optional.</summary>
public sealed class TickleResponse
{
    [JsonPropertyName("session")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Session { get; init; }

    [JsonPropertyName("ssoExpires")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? SsoExpires { get; init; }

    [JsonPropertyName("collission")]
    public bool? Collission { get; init; }

    [JsonPropertyName("userId")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? UserId { get; init; }

    [JsonPropertyName("iserver")]
    public TickleIserver? Iserver { get; init; }

    [JsonPropertyName("error")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Error { get; init; }

    /// <summary>The brokerage-session status inside the answer, when present.</summary>
    [JsonIgnore]
    public BrokerageSessionStatus? AuthStatus => Iserver?.AuthStatus;
}

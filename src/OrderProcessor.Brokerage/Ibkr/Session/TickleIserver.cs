using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Session;

public sealed class TickleIserver
{
    [JsonPropertyName("authStatus")]
    public BrokerageSessionStatus? AuthStatus { get; init; }
}

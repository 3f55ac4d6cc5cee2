using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>IBKR's <c>serverInfo</c> object.</summary>
public sealed record ServerInfo(
    [property: JsonPropertyName("serverName")] string ServerName,
    [property: JsonPropertyName("serverVersion")] string ServerVersion)
{
    public static ServerInfo Simulator { get; } = new("OrderProcessorSim", "Build 10.25.0p (OrderProcessor simulator)");
}

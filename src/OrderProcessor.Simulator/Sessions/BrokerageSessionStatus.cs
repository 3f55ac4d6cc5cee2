using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>IBKR's <c>brokerageSessionStatus</c> (ssodh/init, auth/status, and tickle's iserver.authStatus).</summary>
public sealed record BrokerageSessionStatus(
    [property: JsonPropertyName("authenticated")] bool Authenticated,
    [property: JsonPropertyName("established")] bool Established,
    [property: JsonPropertyName("competing")] bool Competing,
    [property: JsonPropertyName("connected")] bool Connected,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("MAC")] string Mac,
    [property: JsonPropertyName("serverInfo")] ServerInfo ServerInfo,
    [property: JsonPropertyName("hardware_info")] string HardwareInfo,
    [property: JsonPropertyName("fail")] string Fail)
{
    public static BrokerageSessionStatus Of(bool authenticated, bool competing) => new(
        authenticated,
        authenticated,
        competing,
        true,
        competing ? "competing session: another login (platform or client) holds this username's brokerage session" : string.Empty,
        "02:00:00:5E:00:01",
        ServerInfo.Simulator,
        "00000000|02:00:00:5E:00:01",
        string.Empty);

    /// <summary>
    /// No brokerage back-end behind the web layer (IBKR's nightly reset or weekend maintenance): authenticated and
    /// connected false, nothing competing. Init answers this too and opens nothing.
    /// </summary>
    public static BrokerageSessionStatus Disconnected() => new(
        false,
        false,
        false,
        false,
        string.Empty,
        "02:00:00:5E:00:01",
        ServerInfo.Simulator,
        "00000000|02:00:00:5E:00:01",
        string.Empty);
}

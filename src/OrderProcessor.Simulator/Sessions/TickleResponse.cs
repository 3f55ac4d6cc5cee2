using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>IBKR's <c>successfulTickleResponse</c>.</summary>
public sealed record TickleResponse(
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("ssoExpires")] int SsoExpires,
    [property: JsonPropertyName("collission")] bool Collission,
    [property: JsonPropertyName("userId")] int UserId,
    [property: JsonPropertyName("hmds")] TickleHmds Hmds,
    [property: JsonPropertyName("iserver")] TickleIserver Iserver);

/// <summary>The market-data part of a tickle answer.</summary>
public sealed record TickleHmds([property: JsonPropertyName("error")] string Error);

/// <summary>The brokerage part of a tickle answer.</summary>
public sealed record TickleIserver([property: JsonPropertyName("authStatus")] BrokerageSessionStatus AuthStatus);

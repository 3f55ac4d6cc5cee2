using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Control;

/// <summary>An order the simulator accepted, in its current state.</summary>
public sealed record LedgerEntry(
    long OrderId,
    [property: JsonPropertyName("cOID")] string? COID,
    string UserId,
    string AccountId,
    int Conid,
    string Side,
    string OrderType,
    decimal Quantity,
    decimal? Price,
    decimal? AuxPrice,
    string Status,
    decimal FilledQuantity,
    decimal? AvgPrice,
    string? ParentId,
    string? OcaGroup,
    DateTimeOffset AcceptedAt);

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
    DateTimeOffset AcceptedAt)
{
    /// <summary>The cash a cash-quantity order spends or collects; null for a quantity order.</summary>
    public decimal? CashQuantity { get; init; }

    /// <summary>Σ quantity × price of the fills (exact): what a cash-quantity order has spent or collected so far.</summary>
    public decimal FilledCashAmount { get; init; }

    public string SecType { get; init; } = "STK";

    /// <summary>Where the order was routed (SMART unless the ticket named an exchange).</summary>
    public string Exchange { get; init; } = "SMART";

    public string Tif { get; init; } = "DAY";

    public string? Strategy { get; init; }

    public IReadOnlyDictionary<string, string>? StrategyParameters { get; init; }

    public bool UseAdaptive { get; init; }

    public bool AllOrNone { get; init; }

    public bool? ManualIndicator { get; init; }

    public bool IsCcyConv { get; init; }
}

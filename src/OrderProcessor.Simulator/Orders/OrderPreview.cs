using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>orderPreview</c> (what-if): every number is a formatted string.</summary>
public sealed record OrderPreview(
    [property: JsonPropertyName("amount")] PreviewAmount Amount,
    [property: JsonPropertyName("equity")] PreviewFigures Equity,
    [property: JsonPropertyName("initial")] PreviewFigures Initial,
    [property: JsonPropertyName("maintenance")] PreviewFigures Maintenance,
    [property: JsonPropertyName("position")] PreviewFigures Position,
    [property: JsonPropertyName("warn"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warn,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>The <c>amount</c> part of a what-if answer.</summary>
public sealed record PreviewAmount(
    [property: JsonPropertyName("amount")] string Amount,
    [property: JsonPropertyName("commission")] string Commission,
    [property: JsonPropertyName("total")] string Total);

/// <summary>A current / change / after triple of a what-if answer.</summary>
public sealed record PreviewFigures(
    [property: JsonPropertyName("current")] string Current,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("after")] string After);

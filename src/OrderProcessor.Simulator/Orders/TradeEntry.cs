using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// One entry of GET /iserver/account/trades (schema tradesResponse). The simulator reports an order's fills so far as
/// one execution at their average price.
/// </summary>
public sealed record TradeEntry(
    [property: JsonPropertyName("execution_id")] string ExecutionId,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("trade_time_r")] long TradeTimeMs,
    [property: JsonPropertyName("size")] decimal Size,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("order_ref")] string? OrderRef,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("conid")] string Conid,
    [property: JsonPropertyName("order_id")] long OrderId)
{
    public static TradeEntry From(SimOrder order) => new(
        $"{order.OrderId:x8}.01",
        $"SIM{order.Conid}",
        order.Side == "BUY" ? "B" : "S",
        (order.LastExecutionAt ?? order.LastChangeAt).ToUnixTimeMilliseconds(),
        order.FilledQuantity,
        (order.AvgPrice ?? 0m).ToString("0.00######", CultureInfo.InvariantCulture),
        order.COID,
        order.AccountId,
        order.Conid.ToString(CultureInfo.InvariantCulture),
        order.OrderId);
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>One execution of GET /iserver/account/trades (schema tradesResponse): a fill of one order.</summary>
public sealed record TradeEntry(
    [property: JsonPropertyName("execution_id")] string ExecutionId,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("trade_time")] string TradeTime,
    [property: JsonPropertyName("trade_time_r")] long TradeTimeMs,
    [property: JsonPropertyName("size")] decimal Size,
    [property: JsonPropertyName("price")] string Price,
    [property: JsonPropertyName("order_ref"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrderRef,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("conid")] string Conid,
    [property: JsonPropertyName("order_id")] long OrderId)
{
    public static TradeEntry From(SimOrder order, SimExecution execution)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(execution);
        return new(
            execution.ExecutionId,
            order.Instrument.Symbol,
            order.Side == "BUY" ? "B" : "S",
            execution.At.UtcDateTime.ToString("yyyyMMdd-HH:mm:ss", CultureInfo.InvariantCulture),
            execution.At.ToUnixTimeMilliseconds(),
            execution.Quantity,
            execution.Price.ToString("0.00######", CultureInfo.InvariantCulture),
            order.COID,
            order.AccountId,
            order.Conid.ToString(CultureInfo.InvariantCulture),
            order.OrderId);
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// The JSON of every frame the socket sends, shaped like IBKR's (see docs/simulator.md "Evidence and assumptions"):
/// <c>system</c> (success, hb), <c>act</c>, <c>sts</c>, <c>sor</c> (orders, sparse), <c>str</c> (executions), garbage.
/// </summary>
public static class OrderStreamFrames
{
    public const string SystemTopic = "system";
    public const string OrdersTopic = "sor";
    public const string ExecutionsTopic = "str";
    public const string StatusTopic = "sts";
    public const string AccountsTopic = "act";
    public const string MessageTopic = "message";
    public const string GarbageTopic = "garbage";

    public static byte[] WaitingForSession() => Write(w => w.WriteString("message", "waiting for session"));

    public static byte[] Success(string userId) => Write(w =>
    {
        w.WriteString("topic", SystemTopic);
        w.WriteString("success", userId);
        w.WriteBoolean("isFT", false);
        w.WriteBoolean("isPaper", true);
    });

    public static byte[] Heartbeat(DateTimeOffset now) => Write(w =>
    {
        w.WriteString("topic", SystemTopic);
        w.WriteNumber("hb", now.ToUnixTimeMilliseconds());
    });

    public static byte[] Accounts(IReadOnlyList<string> accounts) => Write(w =>
    {
        w.WriteString("topic", AccountsTopic);
        w.WriteStartObject("args");
        w.WriteStartArray("accounts");
        foreach (var account in accounts)
            w.WriteStringValue(account);
        w.WriteEndArray();
        w.WriteString("selectedAccount", accounts.Count > 0 ? accounts[0] : string.Empty);
        w.WriteEndObject();
    });

    public static byte[] Status(bool authenticated, bool competing, string message) => Write(w =>
    {
        w.WriteString("topic", StatusTopic);
        w.WriteStartObject("args");
        w.WriteBoolean("authenticated", authenticated);
        w.WriteBoolean("competing", competing);
        w.WriteString("message", message);
        w.WriteString("fail", string.Empty);
        w.WriteEndObject();
    });

    /// <summary>One <c>sor</c> frame: per order its identity (acct, conid, orderId as a number or, when asked, a string) and the given fields (raw JSON values).</summary>
    public static byte[] Orders(IEnumerable<(SimOrder Order, IReadOnlyList<KeyValuePair<string, string>> Fields, bool StringOrderId)> elements) => Write(w =>
    {
        w.WriteString("topic", OrdersTopic);
        w.WriteStartArray("args");
        foreach (var (order, fields, stringOrderId) in elements)
        {
            w.WriteStartObject();
            w.WriteString("acct", order.AccountId);
            w.WriteNumber("conid", order.Conid);
            if (stringOrderId)
                w.WriteString("orderId", order.OrderId.ToString(CultureInfo.InvariantCulture));
            else
                w.WriteNumber("orderId", order.OrderId);
            foreach (var (name, raw) in fields)
            {
                w.WritePropertyName(name);
                w.WriteRawValue(raw, skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>
    /// What a <c>sor</c> element may carry besides the identity, as raw JSON values, with the field names of live orders:
    /// quantities as strings, an absent price or average price as <c>""</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FieldsOf(SimOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var fields = new List<KeyValuePair<string, string>>(14);
        if (order.COID is not null)
            Add("order_ref", order.COID);
        Add("status", order.Status);
        Add("filledQuantity", IbkrNumberFormat.Plain(order.FilledQuantity));
        Add("remainingQuantity", IbkrNumberFormat.Plain(order.IsTerminal ? 0 : order.Remaining));
        Add("totalSize", IbkrNumberFormat.Plain(order.Quantity));
        if (order.CashQty is { } cash)
            Add("totalCashSize", cash.ToString("0.00", CultureInfo.InvariantCulture));
        Add("avgPrice", order.AvgPrice is { } avg ? IbkrNumberFormat.Plain(avg) : string.Empty);
        Add("price", order.Price is { } price ? IbkrNumberFormat.Plain(price) : string.Empty);
        Add("auxPrice", order.AuxPrice is { } aux ? IbkrNumberFormat.Plain(aux) : string.Empty);
        Add("orderType", OrderTypes.DisplayName(order.OrderType));
        Add("side", order.Side);
        Add("timeInForce", order.Tif);
        Add("ticker", Instrument.TickerOf(order.Conid));
        if (order.ParentOrderId is { } parent)
            Add("parentId", parent.ToString(CultureInfo.InvariantCulture));
        if (order.LastExecutionAt is { } at)
            fields.Add(new("lastExecutionTime_r", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        return fields;

        void Add(string name, string value) => fields.Add(new(name, JsonSerializer.Serialize(value)));
    }

    /// <summary>One <c>str</c> frame: executions with the trades' field names (order_id a number, size and price strings).</summary>
    public static byte[] Executions(IEnumerable<(SimOrder Order, SimExecution Execution)> executions) => Write(w =>
    {
        w.WriteString("topic", ExecutionsTopic);
        w.WriteStartArray("args");
        foreach (var (order, execution) in executions)
        {
            var trade = TradeEntry.From(order, execution);
            w.WriteStartObject();
            w.WriteString("execution_id", trade.ExecutionId);
            if (trade.OrderRef is not null)
                w.WriteString("order_ref", trade.OrderRef);
            w.WriteNumber("order_id", trade.OrderId);
            w.WriteString("size", IbkrNumberFormat.Plain(trade.Size));
            w.WriteString("price", trade.Price);
            w.WriteNumber("trade_time_r", trade.TradeTimeMs);
            w.WriteString("trade_time", trade.TradeTime);
            w.WriteString("account", trade.Account);
            w.WriteNumber("conid", order.Conid);
            w.WriteString("side", trade.Side);
            w.WriteString("symbol", trade.Symbol);
            w.WriteString("exchange", order.Exchange);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static byte[] Garbage(StreamGarbageKind kind) => kind switch
    {
        StreamGarbageKind.Malformed => Encoding.UTF8.GetBytes("{\"topic\":\"sor\",\"args\":[{\"acct\":[],\"conid\":{\"x\":1},\"orderId\":{\"id\":true},\"status\":17}]}"),
        StreamGarbageKind.Partial => Encoding.UTF8.GetBytes("{\"topic\":\"sor\",\"args\":[{\"acct\":\"DU"),
        StreamGarbageKind.NotJson => Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>"),
        _ => Encoding.UTF8.GetBytes("{\"topic\":\"zzq\",\"args\":{\"note\":\"a topic no client knows\"}}"),
    };

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

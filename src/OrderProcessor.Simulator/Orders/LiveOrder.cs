using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>One order of IBKR's <c>liveOrdersResponse</c>, with the JSON types its OpenAPI schema gives (mostly strings).</summary>
public sealed record LiveOrder(
    [property: JsonPropertyName("acct")] string Acct,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("conid")] string Conid,
    [property: JsonPropertyName("conidex")] string Conidex,
    [property: JsonPropertyName("orderId")] long OrderId,
    [property: JsonPropertyName("order_ref"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OrderRef,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("order_ccp_status")] string OrderCcpStatus,
    [property: JsonPropertyName("filledQuantity")] string FilledQuantity,
    [property: JsonPropertyName("remainingQuantity")] string RemainingQuantity,
    [property: JsonPropertyName("totalSize")] string TotalSize,
    [property: JsonPropertyName("totalCashSize"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TotalCashSize,
    [property: JsonPropertyName("avgPrice"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AvgPrice,
    [property: JsonPropertyName("price"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Price,
    [property: JsonPropertyName("orderType")] string OrderType,
    [property: JsonPropertyName("origOrderType")] string OrigOrderType,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("timeInForce")] string TimeInForce,
    [property: JsonPropertyName("lastExecutionTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastExecutionTime,
    [property: JsonPropertyName("lastExecutionTime_r"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastExecutionTimeR,
    [property: JsonPropertyName("ticker")] string Ticker,
    [property: JsonPropertyName("secType")] string SecType,
    [property: JsonPropertyName("cashCcy")] string CashCcy,
    [property: JsonPropertyName("companyName")] string CompanyName,
    [property: JsonPropertyName("description1")] string Description1,
    [property: JsonPropertyName("orderDesc")] string OrderDesc,
    [property: JsonPropertyName("sizeAndFills")] string SizeAndFills,
    [property: JsonPropertyName("listingExchange")] string ListingExchange,
    [property: JsonPropertyName("exchange")] string Exchange,
    [property: JsonPropertyName("supportsTaxOpt")] string SupportsTaxOpt,
    [property: JsonPropertyName("isEventTrading")] string IsEventTrading,
    [property: JsonPropertyName("bgColor")] string BgColor,
    [property: JsonPropertyName("fgColor")] string FgColor)
{
    public static LiveOrder From(SimOrder o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var conid = o.Conid.ToString(CultureInfo.InvariantCulture);
        var instrument = o.Instrument;
        var ticker = instrument.Symbol;
        return new LiveOrder(
            o.AccountId,
            o.AccountId,
            conid,
            conid + "@" + o.Exchange,
            o.OrderId,
            o.COID,
            o.Status,
            o.Status,
            IbkrNumberFormat.Plain(o.FilledQuantity),
            IbkrNumberFormat.Plain(o.IsTerminal ? 0 : o.Remaining),
            IbkrNumberFormat.Plain(o.Quantity),
            o.CashQty is { } cash ? cash.ToString("0.00", CultureInfo.InvariantCulture) : null,
            o.AvgPrice is { } avg ? IbkrNumberFormat.Plain(avg) : null,
            o.Price is { } p ? IbkrNumberFormat.Plain(p) : null,
            OrderTypes.DisplayName(o.OrderType),
            OrderTypes.UpperName(o.OrderType),
            o.Side,
            o.Tif,
            o.LastExecutionAt?.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture),
            o.LastExecutionAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ticker,
            instrument.SecType,
            instrument.Currency,
            Instrument.CompanyOf(o.Conid),
            ticker,
            Instrument.Describe(o),
            IbkrNumberFormat.Plain(o.Quantity),
            instrument.ListingExchange,
            o.Exchange,
            "0",
            "0",
            "#FFFFFF",
            "#000000");
    }
}

using System.Globalization;
using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>orderStatus</c> (GET /iserver/account/order/status/{orderId}): <c>order_id</c> is an int here.</summary>
public sealed record OrderStatusResponse(
    [property: JsonPropertyName("sub_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SubType,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("server_id")] string ServerId,
    [property: JsonPropertyName("order_id")] long OrderId,
    [property: JsonPropertyName("conidex")] string Conidex,
    [property: JsonPropertyName("conid")] string Conid,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("contract_description_1")] string ContractDescription1,
    [property: JsonPropertyName("listing_exchange")] string ListingExchange,
    [property: JsonPropertyName("company_name")] string CompanyName,
    [property: JsonPropertyName("size")] string Size,
    [property: JsonPropertyName("total_size")] string TotalSize,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("order_type")] string OrderType,
    [property: JsonPropertyName("cum_fill")] string CumFill,
    [property: JsonPropertyName("order_status")] string OrderStatus,
    [property: JsonPropertyName("order_ccp_status")] string OrderCcpStatus,
    [property: JsonPropertyName("order_status_description")] string OrderStatusDescription,
    [property: JsonPropertyName("tif")] string Tif,
    [property: JsonPropertyName("order_not_editable")] bool OrderNotEditable,
    [property: JsonPropertyName("editable_fields")] string EditableFields,
    [property: JsonPropertyName("cannot_cancel_order")] bool CannotCancelOrder,
    [property: JsonPropertyName("deactivate_order")] bool DeactivateOrder,
    [property: JsonPropertyName("sec_type")] string SecType,
    [property: JsonPropertyName("order_description")] string OrderDescription,
    [property: JsonPropertyName("order_description_with_contract")] string OrderDescriptionWithContract,
    [property: JsonPropertyName("order_clearing_account")] string OrderClearingAccount,
    [property: JsonPropertyName("size_and_fills")] string SizeAndFills,
    [property: JsonPropertyName("average_price"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AveragePrice,
    [property: JsonPropertyName("order_time")] string OrderTime)
{
    public static OrderStatusResponse From(SimOrder o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var conid = o.Conid.ToString(CultureInfo.InvariantCulture);
        var instrument = o.Instrument;
        var ticker = instrument.Symbol;
        var description = Instrument.Describe(o);
        return new OrderStatusResponse(
            null,
            "0",
            "0",
            o.OrderId,
            conid,
            conid,
            ticker,
            o.Side,
            ticker,
            instrument.ListingExchange,
            Instrument.CompanyOf(o.Conid),
            IbkrNumberFormat.Plain(o.IsTerminal ? 0 : o.Remaining),
            IbkrNumberFormat.Plain(o.Quantity),
            instrument.Currency,
            o.AccountId,
            OrderTypes.UpperName(o.OrderType),
            IbkrNumberFormat.Plain(o.FilledQuantity),
            o.Status,
            o.Status,
            o.Status switch
            {
                OrderStatuses.Filled => "Order Filled",
                OrderStatuses.Cancelled => "Order Cancelled",
                OrderStatuses.PendingCancel => "Order Cancel Pending",
                OrderStatuses.Inactive => "Order Inactive",
                _ => "Order Submitted",
            },
            o.Tif,
            o.IsTerminal,
            o.IsTerminal ? string.Empty : "price,quantity,tif",
            o.IsTerminal,
            false,
            instrument.SecType,
            description,
            $"{description} ({ticker})",
            o.AccountId,
            IbkrNumberFormat.Plain(o.FilledQuantity),
            o.AvgPrice is { } avg ? IbkrNumberFormat.Plain(avg) : null,
            o.AcceptedAt.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture));
    }
}

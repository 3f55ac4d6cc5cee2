using System.Globalization;
using System.Text.RegularExpressions;
using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// What IBKR checks of a ticket against its contract (security type, routing, fractions, cash quantity, MIDPRICE, algos,
/// all-or-none, the futures' manual indicator, currency conversion, the newer times in force), answered like IBKR with
/// 200 <c>{"error": ...}</c>. IBKR does not publish most of these texts: where one is known it is quoted (said so in
/// the comment), the rest are IBKR-shaped paraphrases. docs/simulator.md "Ticket rules" lists them.
/// </summary>
public static partial class InstrumentTicketRules
{
    /// <summary>
    /// The OpenAPI's manualIndicator description: "Orders for USFUT products that do not include this field will be
    /// rejected." IBKR's own rejection text is not published; this one says the same thing.
    /// </summary>
    public const string ManualIndicatorRequiredText =
        "Orders for US futures products must include manualIndicator (true: originated manually by a natural person; "
        + "false: by an automated trading system). Orders for USFUT products that do not include this field will be rejected.";

    /// <summary>IBKR's text (TWS API error 10293) for a cash-quantity order that also gives a size.</summary>
    public const string CashQuantityWithSizeText = "Cash Quantity order cannot specify size";

    public static string? Check(OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var instrument = InstrumentCatalog.Of(ticket.Conid);
        return Contract(ticket, instrument)
            ?? Size(ticket, instrument)
            ?? OrderTypeAndTif(ticket, instrument)
            ?? AlgoRules.Check(ticket, instrument)
            ?? Flags(ticket, instrument);
    }

    private static string? Contract(OrderTicket t, InstrumentSpec instrument)
    {
        var conid = t.Conid.ToString(CultureInfo.InvariantCulture);
        // The 2.28.0 OpenAPI calls secType "IB asset class identifier" ("STK"); IBKR's older swagger and its campus pages
        // describe it as "conid:type" ("265598:STK"). Both forms are taken; either must name this contract and its type.
        if (t.SecType is not null)
        {
            var colon = t.SecType.IndexOf(':', StringComparison.Ordinal);
            var type = colon < 0 ? t.SecType : t.SecType[(colon + 1)..];
            if (colon >= 0 && !string.Equals(t.SecType[..colon], conid, StringComparison.Ordinal))
                return $"Invalid security type {t.SecType} for contract {conid}: it names contract {t.SecType[..colon]}";
            if (!string.Equals(type, instrument.SecType, StringComparison.Ordinal))
                return $"Invalid security type {t.SecType} for contract {conid}: the contract is {instrument.SecType}";
        }

        if (t.Conidex is not null)
        {
            var match = ConidexPattern().Match(t.Conidex);
            if (!match.Success)
                return $"Invalid conidex: {t.Conidex}. Expected conid@EXCHANGE";
            if (!string.Equals(match.Groups["conid"].Value, conid, StringComparison.Ordinal))
                return $"conidex {t.Conidex} does not match conid {conid}";
            if (match.Groups["exchange"].Success && !instrument.Exchanges.Contains(match.Groups["exchange"].Value, StringComparer.Ordinal))
                return $"Invalid exchange {match.Groups["exchange"].Value} for contract {conid}";
        }

        if (t.ListingExchange is not null && !instrument.Exchanges.Contains(t.ListingExchange, StringComparer.Ordinal))
            return $"Invalid exchange {t.ListingExchange} for contract {conid}";
        return null;
    }

    private static string? Size(OrderTicket t, InstrumentSpec instrument)
    {
        if (t.CashQty is not { } cash)
        {
            if (!FractionalQuantity.IsWhole(t.Quantity) && !instrument.FractionalEligible)
                return $"Fractional quantity {IbkrNumberFormat.Plain(t.Quantity)} is not supported for {instrument.Symbol} ({instrument.SecType}): whole units only";
            return FractionalQuantity.HasAtMostFourDecimals(t.Quantity) ? null : "Order quantity must be a multiple of 0.0001";
        }

        if (t.Quantity != 0)
            return CashQuantityWithSizeText;
        if (cash <= 0)
            return "Cash quantity must be positive";
        if (!FractionalQuantity.IsCurrencyAmount(cash))
            return "Cash quantity must be a multiple of 0.01";
        if (!(instrument.IsCurrency || (instrument.IsStock && instrument.FractionalEligible)))
            return $"Cash quantity orders are not supported for {instrument.Symbol} ({instrument.SecType})";
        return t.OrderType is OrderTypes.Market or OrderTypes.Limit
            ? null
            : $"Cash quantity orders are supported for MKT and LMT orders only, not {t.OrderType}";
    }

    private static string? OrderTypeAndTif(OrderTicket t, InstrumentSpec instrument)
    {
        if (t.OrderType == OrderTypes.MidPrice && !instrument.IsStock)
            return $"MIDPRICE orders are supported for stocks only, not {instrument.SecType}";
        if (instrument.SecType == SecTypes.Option && t.OrderType is not (OrderTypes.Market or OrderTypes.Limit or OrderTypes.Stop or OrderTypes.StopLimit))
            return $"Order type {t.OrderType} is not supported for options";
        if (t.Tif is "OVT" or "OND" && !(instrument.IsStock && t.OrderType == OrderTypes.Limit))
            return $"Time in force {t.Tif} (overnight trading) is supported for LMT orders on stocks only";
        if (t.Tif == "PAX")
            return "Time in force PAX is for cryptocurrency orders only";
        return null;
    }

    private static string? Flags(OrderTicket t, InstrumentSpec instrument)
    {
        if (instrument.IsFuture && t.ManualIndicator is null)
            return ManualIndicatorRequiredText;
        if (t.AllOrNone && t.Tif == "IOC")
            return "All-or-none orders cannot have time in force IOC";
        if (t.AllOrNone && instrument.IsCurrency)
            return $"All-or-none is not supported for {instrument.Symbol} ({instrument.SecType})";
        if (t.IsCcyConv && !instrument.IsCurrency)
            return $"Currency conversion (isCcyConv) is for forex (CASH) orders only, not {instrument.SecType}";
        return null;
    }

    [GeneratedRegex(@"^(?<conid>\d+)(@(?<exchange>[A-Z0-9.]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ConidexPattern();
}

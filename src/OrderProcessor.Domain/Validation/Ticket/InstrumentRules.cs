using System.Globalization;
using System.Text.RegularExpressions;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// What the ticket says about the instrument beyond its conid: the listing exchange and the routed <c>conidex</c>, the
/// futures' manual indicator IBKR requires, the currency conversion flag of a forex order, and the order types an
/// option takes.
/// </summary>
internal static partial class InstrumentRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        var p = terms.Field;
        if (terms.ListingExchange is { } exchange && !ExchangeCode().IsMatch(exchange))
        {
            violations.Add(p + "listingExchange", "exchange-format",
                $"{p}listingExchange must be an exchange code of 1 to {OrderLimits.MaxExchangeLength} characters A-Z, 0-9 or '.' (e.g. NASDAQ, CME).");
        }

        Conidex(violations, terms);
        if (TicketValidator.KnownSecurityType(terms) is not { } securityType)
        {
            return;
        }

        var typeName = ViolationList.Wire(securityType);
        if (securityType == SecurityType.Future && terms.ManualIndicator is null)
        {
            violations.Add(p + "manualIndicator", "manual-indicator-required",
                $"{p}manualIndicator is required for FUT orders: IBKR rejects US futures orders that do not say whether a person (true) or a system (false) entered them.");
        }
        else if (securityType != SecurityType.Future && terms.ManualIndicator is not null)
        {
            violations.Add(p + "manualIndicator", "manual-indicator-not-allowed",
                $"{p}manualIndicator is only for FUT orders (this one is {typeName}).");
        }

        if (terms.CurrencyConversion && securityType != SecurityType.Currency)
        {
            violations.Add(p + "currencyConversion", "currency-conversion-security-type",
                $"{p}currencyConversion is only for CASH (forex) orders (this one is {typeName}).");
        }

        if (securityType == SecurityType.Currency && terms.Conidex?.Contains('@', StringComparison.Ordinal) != true)
        {
            // IBKR's one documented forex ticket routes by conidex (15016138@IDEALPRO); a currency pair has no single
            // listing to default to, so the destination is asked for rather than guessed.
            violations.Add(p + "conidex", "cash-needs-conidex",
                $"{p}conidex with an exchange is required for CASH orders, e.g. {terms.Conid ?? 12087792}@IDEALPRO.");
        }

        if (securityType == SecurityType.Option && TicketValidator.KnownType(terms) is { } type
            && type is not (OrderType.Market or OrderType.Limit or OrderType.Stop or OrderType.StopLimit))
        {
            violations.Add(p + "orderType", "option-order-type",
                $"{p}orderType {ViolationList.Wire(type)} is not taken for OPT orders: MKT, LMT, STP or STOP_LIMIT.");
        }
    }

    private static void Conidex(ViolationList violations, TicketTerms terms)
    {
        var p = terms.Field;
        if (terms.Conidex is not { } conidex)
        {
            return;
        }

        var match = ConidexFormat().Match(conidex);
        if (!match.Success)
        {
            violations.Add(p + "conidex", "conidex-format",
                $"{p}conidex must be a contract id, optionally with a routing destination: conid@EXCHANGE (e.g. 15016138@IDEALPRO).");
        }
        else if (terms.Conid is { } conid
            && (!int.TryParse(match.Groups["conid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var routed) || routed != conid))
        {
            violations.Add(p + "conidex", "conidex-conid",
                $"{p}conidex names contract {match.Groups["conid"].Value}, but {p}conid is {conid}: they must be the same contract.");
        }
    }

    [GeneratedRegex(@"^[A-Z0-9.]{1,16}$", RegexOptions.CultureInvariant)]
    internal static partial Regex ExchangeCode();

    [GeneratedRegex(@"^(?<conid>[0-9]{1,10})(@[A-Z0-9.]{1,16})?$", RegexOptions.CultureInvariant)]
    internal static partial Regex ConidexFormat();
}

using System.CommandLine;
using System.CommandLine.Parsing;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// The IBKR ticket options <c>orders place</c> and <c>orders margin</c> share (cash quantity, security type, listing
/// exchange, conidex, execution algo, the flags). The CLI only reads them; the processor validates them, so a command
/// the CLI sends is judged by the same rules as any other sender's.
/// </summary>
public sealed class TicketOptions
{
    public Option<decimal?> CashQuantity { get; } = new("--cash-quantity") { Description = "A cash amount to trade instead of --quantity (IBKR's cashQty, filled in fractional units); MKT and LMT, STK and CASH only." };

    public Option<SecurityType?> SecurityType { get; } = EnumOption.Optional<SecurityType>("--sec-type", "The instrument's security type (default STK).");

    public Option<string?> Exchange { get; } = new("--exchange") { Description = "The instrument's listing exchange (IBKR's listingExchange), e.g. NASDAQ." };

    public Option<string?> Conidex { get; } = new("--conidex") { Description = "Contract id and routing destination, conid@EXCHANGE (e.g. 12087792@IDEALPRO)." };

    public Option<string?> Algo { get; } = new("--algo") { Description = "An IBKR execution algorithm (strategy), e.g. Adaptive." };

    public Option<string[]> AlgoParameters { get; } = new("--algo-param")
    {
        Description = "A parameter of --algo as name=value (repeatable), e.g. adaptivePriority=Normal.",
        HelpName = "name=value",
    };

    public Option<bool> UseAdaptive { get; } = new("--use-adaptive") { Description = "IBKR's price-management algo (useAdaptive); MKT and LMT only." };

    public Option<bool> AllOrNone { get; } = new("--all-or-none") { Description = "Fill the whole order at once or not at all (allOrNone)." };

    public Option<bool?> ManualIndicator { get; } = new("--manual-indicator")
    {
        Description = "true: a person entered the order; false: an automated system did (IBKR's manualIndicator, required for futures).",
        HelpName = "true|false",
    };

    public Option<bool> CurrencyConversion { get; } = new("--currency-conversion") { Description = "A forex (CASH) order that converts currency (isCcyConv)." };

    public TicketOptions()
    {
        AlgoParameters.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (ParameterOf(token.Value) is null)
                {
                    result.AddError($"--algo-param: '{token.Value}' is not name=value.");
                }
            }
        });
    }

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [CashQuantity, SecurityType, Exchange, Conidex, Algo, AlgoParameters, UseAdaptive, AllOrNone, ManualIndicator, CurrencyConversion];

    /// <summary>
    /// The algorithm the options name: null without --algo and --algo-param; parameters without --algo are sent as they
    /// are (the processor refuses an algorithm without a strategy, naming the field). A name given twice keeps the last value.
    /// </summary>
    public ExecutionAlgo? AlgoIn(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var strategy = parse.GetValue(Algo);
        var parameters = (parse.GetValue(AlgoParameters) ?? []).Select(ParameterOf).OfType<KeyValuePair<string, string>>().ToList();
        if (strategy is null && parameters.Count == 0)
        {
            return null;
        }

        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            byName[name] = value;
        }

        return new ExecutionAlgo { Strategy = strategy, Parameters = byName.Count == 0 ? null : byName };
    }

    /// <summary><paramref name="order"/> with the ticket options of <paramref name="parse"/>.</summary>
    public PlaceOrder AppliedTo(PlaceOrder order, ParseResult parse) => order with
    {
        CashQuantity = parse.GetValue(CashQuantity),
        SecurityType = parse.GetValue(SecurityType),
        ListingExchange = parse.GetValue(Exchange),
        Conidex = parse.GetValue(Conidex),
        Algo = AlgoIn(parse),
        UseAdaptive = parse.GetValue(UseAdaptive),
        AllOrNone = parse.GetValue(AllOrNone),
        ManualIndicator = parse.GetValue(ManualIndicator),
        CurrencyConversion = parse.GetValue(CurrencyConversion),
    };

    /// <summary><paramref name="check"/> with the ticket options of <paramref name="parse"/>.</summary>
    public MarginCheck AppliedTo(MarginCheck check, ParseResult parse) => check with
    {
        CashQuantity = parse.GetValue(CashQuantity),
        SecurityType = parse.GetValue(SecurityType),
        ListingExchange = parse.GetValue(Exchange),
        Conidex = parse.GetValue(Conidex),
        Algo = AlgoIn(parse),
        UseAdaptive = parse.GetValue(UseAdaptive),
        AllOrNone = parse.GetValue(AllOrNone),
        ManualIndicator = parse.GetValue(ManualIndicator),
        CurrencyConversion = parse.GetValue(CurrencyConversion),
    };

    private static KeyValuePair<string, string>? ParameterOf(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals <= 0 ? null : new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..]);
    }
}

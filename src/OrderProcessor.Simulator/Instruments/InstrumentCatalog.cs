using System.Globalization;

namespace OrderProcessor.Simulator.Instruments;

/// <summary>
/// The simulator's contract database. A few conids are special (a future, an option, a currency pair, a stock that
/// takes no fractions); every other positive conid is a US stock on NASDAQ that takes fractional shares, as every conid
/// was before the catalog existed, so the conids tests already use keep working unchanged. See docs/simulator.md
/// "Instruments".
/// </summary>
public static class InstrumentCatalog
{
    /// <summary>E-mini S&amp;P 500 future (the simulator's conid, not IBKR's): FUT on CME, multiplier 50, tick 0.25.</summary>
    public const int EsFuture = 495512551;

    /// <summary>An AAPL call option (the simulator's conid): OPT, multiplier 100, whole contracts only.</summary>
    public const int AaplCall = 700012345;

    /// <summary>EUR.USD on IDEALPRO: IBKR's real conid. Quantities in EUR, prices (and a cash quantity) in USD.</summary>
    public const int EurUsd = 12087792;

    /// <summary>A US stock that is not eligible for fractional shares (IBKR has such stocks): whole quantities, no cash quantity.</summary>
    public const int WholeSharesStock = 4815162;

    private static readonly string[] StockExchanges = ["SMART", "NASDAQ", "NYSE", "ARCA", "ISLAND", "IEX", "AMEX", "BATS"];

    private static readonly Dictionary<int, InstrumentSpec> Special = new[]
    {
        new InstrumentSpec(EsFuture, SecTypes.Future, "ES", "CME", "USD", false, 50m, 0.25m, 5_000m, ["SMART", "CME"]),
        new InstrumentSpec(AaplCall, SecTypes.Option, "AAPL", "CBOE", "USD", false, 100m, 0.01m, 4.50m, ["SMART", "CBOE", "ISE", "AMEX"]),
        new InstrumentSpec(EurUsd, SecTypes.Currency, "EUR.USD", "IDEALPRO", "USD", true, 1m, 0.00005m, 1.0850m, ["IDEALPRO"]),
        new InstrumentSpec(WholeSharesStock, SecTypes.Stock, "SIMWHOLE", "NYSE", "USD", false, 1m, 0.01m, null, StockExchanges),
    }.ToDictionary(s => s.Conid);

    /// <summary>Every instrument that is not a default stock, for the control API and the docs.</summary>
    public static IReadOnlyCollection<InstrumentSpec> SpecialInstruments => Special.Values;

    /// <summary>The instrument of <paramref name="conid"/>: a special one, or a fractional-eligible US stock.</summary>
    public static InstrumentSpec Of(int conid) =>
        Special.TryGetValue(conid, out var spec)
            ? spec
            : new InstrumentSpec(conid, SecTypes.Stock, "SIM" + conid.ToString(CultureInfo.InvariantCulture), "NASDAQ", "USD", true, 1m, 0.01m, null, StockExchanges);
}

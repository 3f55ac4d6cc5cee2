namespace OrderProcessor.Simulator.Instruments;

/// <summary>IBKR's asset class identifiers (<c>secType</c>) the simulator's instruments have (case-sensitive, as IBKR).</summary>
public static class SecTypes
{
    public const string Stock = "STK";
    public const string Option = "OPT";
    public const string Future = "FUT";
    public const string Currency = "CASH";
}

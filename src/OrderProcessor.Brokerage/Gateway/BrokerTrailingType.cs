namespace OrderProcessor.Brokerage.Gateway;

/// <summary>How a trailing amount is expressed: IBKR's "amt" or "%".</summary>
public enum BrokerTrailingType
{
    Amount,
    Percent,
}

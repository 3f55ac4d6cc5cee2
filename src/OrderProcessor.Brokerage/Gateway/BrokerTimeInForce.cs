namespace OrderProcessor.Brokerage.Gateway;

/// <summary>IBKR time in force: DAY, GTC, IOC, OPG, and the overnight OVT / OND.</summary>
public enum BrokerTimeInForce
{
    Day,
    Gtc,
    Ioc,
    Opg,
    Ovt,
    Ond,
}

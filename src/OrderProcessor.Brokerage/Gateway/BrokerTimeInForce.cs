namespace OrderProcessor.Brokerage.Gateway;

/// <summary>IBKR time in force: DAY, GTC, IOC, OPG, the overnight OVT / OND, and PAX (IBKR's crypto time in force).</summary>
public enum BrokerTimeInForce
{
    Day,
    Gtc,
    Ioc,
    Opg,
    Ovt,
    Ond,
    Pax,
}

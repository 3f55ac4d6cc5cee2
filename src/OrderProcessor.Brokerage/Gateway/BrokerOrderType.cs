namespace OrderProcessor.Brokerage.Gateway;

/// <summary>IBKR order types: MKT, LMT, STP, STOP_LIMIT, TRAIL, TRAILLMT, MIDPRICE.</summary>
public enum BrokerOrderType
{
    Market,
    Limit,
    Stop,
    StopLimit,
    Trail,
    TrailLimit,
    MidPrice,
}

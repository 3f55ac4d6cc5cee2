namespace OrderProcessor.Brokerage.Gateway;

public enum BrokerOrderSide
{
    Buy,
    Sell,
}

namespace OrderProcessor.Orders;

/// <summary>The bounds a command's numbers must respect, checked before anything reaches IBKR.</summary>
public static class OrderLimits
{
    public const decimal MaxQuantity = 10_000_000m;
    public const int MaxQuantityDecimals = 4;
    public const decimal MaxPrice = 10_000_000m;
    public const int MaxPriceDecimals = 6;
    public const int MaxIdLength = 64;
    public const int MaxOcaOrders = 10;
}

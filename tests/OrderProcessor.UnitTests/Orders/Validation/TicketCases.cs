using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders.Validation;

/// <summary>Valid orders of each shape, and the assertions every ticket-rule test makes.</summary>
internal static class TicketCases
{
    public const int EurUsd = 12087792;

    public static PlaceOrder Stock() => new()
    {
        OrderId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1234567",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 10,
        OrderType = OrderType.Limit,
        LimitPrice = 100m,
        TimeInForce = TimeInForce.Day,
    };

    public static PlaceOrder Market() => Stock() with { OrderType = OrderType.Market, LimitPrice = null };

    public static PlaceOrder Cash(decimal amount = 500m) => Market() with { Quantity = null, CashQuantity = amount };

    public static PlaceOrder Future() => Stock() with { Conid = 495512551, SecurityType = SecurityType.Future, ListingExchange = "CME", Quantity = 1, ManualIndicator = false };

    public static PlaceOrder Option() => Stock() with { Conid = 705168912, SecurityType = SecurityType.Option, Quantity = 2, LimitPrice = 3.5m };

    public static PlaceOrder Currency() => Stock() with
    {
        Conid = EurUsd,
        SecurityType = SecurityType.Currency,
        Conidex = $"{EurUsd}@IDEALPRO",
        Quantity = 20_000,
        LimitPrice = 1.0812m,
    };

    public static PlaceOrder MidPrice() => Stock() with { OrderType = OrderType.MidPrice, LimitPrice = null };

    public static ExecutionAlgo Adaptive(string priority = "Normal") =>
        new() { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = priority } };

    public static AttachedOrder Leg(decimal price) => new() { OrderId = Guid.NewGuid(), Price = price };

    public static OrderLeg Member() => new() { OrderId = Guid.NewGuid(), Side = OrderSide.Sell, Quantity = 10, OrderType = OrderType.Stop, StopPrice = 90 };

    /// <summary>The command breaks <paramref name="rule"/> on <paramref name="field"/>, and every message names its field.</summary>
    public static void Refused(IReadOnlyList<FieldViolation> violations, string field, string rule, string scenario)
    {
        Assert.True(violations.Any(v => v.Field == field && v.Rule == rule),
            $"{scenario}: expected {field}/{rule}, got [{Describe(violations)}]");
        Assert.All(violations, v => Assert.Contains(v.Field.Split('.')[^1].Split('[')[0], v.Message, StringComparison.Ordinal));
    }

    public static void Passes(IReadOnlyList<FieldViolation> violations, string scenario) =>
        Assert.True(violations.Count == 0, $"{scenario}: expected no violation, got [{Describe(violations)}]");

    private static string Describe(IEnumerable<FieldViolation> violations) => string.Join("; ", violations.Select(v => $"{v.Field}/{v.Rule}: {v.Message}"));
}

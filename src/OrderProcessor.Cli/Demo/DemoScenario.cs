using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// A realistic, deterministic mix of orders for three users: every order type and time in force, a bracket, an OCA
/// pair, and invalid commands that must be rejected naming their field.
/// Order ids are new on every run, so the demo can run again on the same database; the mix itself is seeded.
/// </summary>
public static class DemoScenario
{
    private static readonly (string User, string Account)[] Users = [("alice", "DU1000001"), ("bob", "DU1000002"), ("carol", "DU1000003")];
    private static readonly int[] Instruments = [265598, 8314, 272093, 4815747];

    /// <summary>Builds <paramref name="count"/> commands (at least the 8 special ones).</summary>
    public static IReadOnlyList<DemoOrder> Build(int count, int seed = 20261124)
    {
        var random = new Random(seed);
        var orders = new List<DemoOrder>();
        var i = 0;
        const int specialCommands = 8;
        while (orders.Count < Math.Max(0, count - specialCommands))
        {
            var (user, account) = Users[i % Users.Length];
            var conid = Instruments[random.Next(Instruments.Length)];
            var price = 100m + random.Next(0, 5000) / 100m;
            var baseOrder = new PlaceOrder
            {
                OrderId = Guid.NewGuid(),
                UserId = user,
                AccountId = account,
                Conid = conid,
                Side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell,
                Quantity = random.Next(1, 20) * 5,
                TimeInForce = TimeInForce.Day,
            };
            orders.Add((i % 12) switch
            {
                0 or 1 or 2 => Valid("market", baseOrder with { OrderType = OrderType.Market }),
                3 or 4 => Valid("limit", baseOrder with { OrderType = OrderType.Limit, LimitPrice = price, TimeInForce = TimeInForce.GoodTillCancelled }),
                5 => Valid("stop-loss", baseOrder with { OrderType = OrderType.Stop, Side = OrderSide.Sell, StopPrice = price * 0.95m }),
                6 => Valid("stop-limit", baseOrder with { OrderType = OrderType.StopLimit, Side = OrderSide.Buy, StopPrice = price, LimitPrice = price + 0.5m }),
                7 => Valid("trailing stop", baseOrder with { OrderType = OrderType.TrailingStop, Side = OrderSide.Sell, StopPrice = price * 0.97m, TrailingAmount = 1.5m, TrailingUnit = TrailingUnit.Amount }),
                8 => Valid("trailing stop-limit", baseOrder with { OrderType = OrderType.TrailingStopLimit, Side = OrderSide.Sell, StopPrice = price * 0.97m, LimitPrice = price * 0.96m, TrailingAmount = 2, TrailingUnit = TrailingUnit.Percent }),
                9 => Valid("immediate-or-cancel", baseOrder with { OrderType = OrderType.Limit, LimitPrice = price, TimeInForce = TimeInForce.ImmediateOrCancel }),
                10 => Valid("opening auction", baseOrder with { OrderType = OrderType.Market, TimeInForce = TimeInForce.AtTheOpening, OutsideRegularHours = false }),
                _ => Valid("market, outside RTH", baseOrder with { OrderType = OrderType.Limit, LimitPrice = price, OutsideRegularHours = true }),
            });
            i++;
        }

        var (u, a) = Users[0];
        var template = new PlaceOrder
        {
            UserId = u, AccountId = a, Conid = 265598, Side = OrderSide.Buy, Quantity = 10, TimeInForce = TimeInForce.Day,
        };

        var bracket = template with
        {
            OrderId = Guid.NewGuid(),
            OrderType = OrderType.Limit,
            LimitPrice = 120m,
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 114m },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 130m },
        };
        orders.Add(new DemoOrder("bracket (parent + stop-loss + take-profit)", bracket,
            [bracket.OrderId, bracket.StopLoss.OrderId, bracket.TakeProfit.OrderId], null));

        var ocaOther = new OrderLeg { OrderId = Guid.NewGuid(), Conid = 8314, Side = OrderSide.Buy, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 180m };
        var oca = template with
        {
            OrderId = Guid.NewGuid(),
            OrderType = OrderType.Limit,
            LimitPrice = 118m,
            OcaGroup = new OcaGroup { Name = "demo-oca-" + random.Next(100_000, 999_999), Orders = [ocaOther] },
        };
        orders.Add(new DemoOrder("one-cancels-all pair", oca, [oca.OrderId, ocaOther.OrderId], null));

        orders.Add(Invalid("limit without limit price", template with { OrderId = Guid.NewGuid(), OrderType = OrderType.Limit }, "limitPrice"));
        orders.Add(Invalid("quantity 0", template with { OrderId = Guid.NewGuid(), OrderType = OrderType.Market, Quantity = 0 }, "quantity"));
        orders.Add(Invalid("negative stop price", template with { OrderId = Guid.NewGuid(), OrderType = OrderType.Stop, StopPrice = -3 }, "stopPrice"));
        orders.Add(Invalid("stop-loss above a buy entry", template with
        {
            OrderId = Guid.NewGuid(), OrderType = OrderType.Limit, LimitPrice = 100m,
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 105m },
        }, "stopLoss.price"));
        orders.Add(Invalid("no account", template with { OrderId = Guid.NewGuid(), OrderType = OrderType.Market, AccountId = null }, "accountId"));
        orders.Add(Invalid("too many decimals", template with { OrderId = Guid.NewGuid(), OrderType = OrderType.Limit, LimitPrice = 100.1234567m }, "limitPrice"));
        return orders;
    }

    private static DemoOrder Valid(string label, PlaceOrder command) => new(label, command, [command.OrderId], null);

    private static DemoOrder Invalid(string label, PlaceOrder command, string field) => new("invalid: " + label, command, [command.OrderId], field);
}

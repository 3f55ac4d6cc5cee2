using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// A realistic mix of orders for three users, built around the simulator's current prices: market and marketable limit
/// orders that fill at once; stop-loss, stop-limit, trailing and bracket orders that wait for a market move; an OCA
/// pair; a cancel; a modification; a margin-policy rejection; a question the policy does not confirm; the fuller IBKR
/// ticket (a cash-quantity order, a MIDPRICE order, an Adaptive order, a future with its manual indicator); and invalid
/// commands that must be rejected naming their field. Order ids are new on every run, so the demo can run again on the
/// same database.
/// </summary>
public sealed class DemoScenario
{
    public static readonly (string User, string Account)[] Users = [("alice", "DU1000001"), ("bob", "DU1000002"), ("carol", "DU1000003")];

    /// <summary>Instruments by role, so one market move cannot disturb another role's orders.</summary>
    public static class Instruments
    {
        public const int Liquid = 265598;
        public const int StopLoss = 8314;
        public const int StopLimit = 272093;
        public const int Trailing = 4815747;
        public const int Bracket = 9579970;
        public const int OcaFirst = 76792991;
        public const int OcaSecond = 107113386;
        public const int Quiet = 11004968;
        public const int MidPrice = 3691937;

        /// <summary>The simulator's ES future (CME, multiplier 50, tick 0.25).</summary>
        public const int Future = 495512551;

        public static readonly int[] All = [Liquid, StopLoss, StopLimit, Trailing, Bracket, OcaFirst, OcaSecond, Quiet, MidPrice, Future];
    }

    /// <summary>The commands that are not the random market and limit orders: the least a demo publishes.</summary>
    public const int SpecialCases = 21;

    public required IReadOnlyList<DemoOrder> Orders { get; init; }

    /// <summary>The orders of the fuller IBKR ticket, for the summary's checks.</summary>
    public required DemoTickets Tickets { get; init; }

    /// <summary>Quotes pinned with the prices before anything is published (the MIDPRICE order's bid and ask).</summary>
    public IReadOnlyDictionary<int, (decimal Bid, decimal Ask)> Quotes => new Dictionary<int, (decimal, decimal)>
    {
        [Instruments.MidPrice] = (Tickets.Bid, Tickets.Ask),
    };

    /// <summary>The price moves that trigger the waiting orders, applied once everything works at IBKR.</summary>
    public required IReadOnlyDictionary<int, decimal> MarketMoves { get; init; }

    public static DemoScenario Build(int commandCount, IReadOnlyDictionary<int, decimal> prices, int seed = 20261124)
    {
        var random = new Random(seed);
        decimal P(int conid, decimal factor) => decimal.Round(prices[conid] * factor, 2);
        var (alice, aliceAccount) = Users[0];
        var (bob, bobAccount) = Users[1];
        var (carol, carolAccount) = Users[2];
        PlaceOrder Ticket(string user, string account, int conid, OrderSide side, decimal quantity, OrderType type) => new()
        {
            OrderId = Guid.NewGuid(),
            UserId = user,
            AccountId = account,
            Conid = conid,
            Side = side,
            Quantity = quantity,
            OrderType = type,
            TimeInForce = TimeInForce.GoodTillCancelled,
        };

        var orders = new List<DemoOrder>
        {
            One("stop-loss", Ticket(bob, bobAccount, Instruments.StopLoss, OrderSide.Sell, 20, OrderType.Stop) with { StopPrice = P(Instruments.StopLoss, 0.98m) }, OrderStatus.Filled),
            One("stop-limit", Ticket(carol, carolAccount, Instruments.StopLimit, OrderSide.Buy, 15, OrderType.StopLimit) with
            {
                StopPrice = P(Instruments.StopLimit, 1.02m), LimitPrice = P(Instruments.StopLimit, 1.025m),
            }, OrderStatus.Filled),
            One("trailing stop", Ticket(alice, aliceAccount, Instruments.Trailing, OrderSide.Sell, 10, OrderType.TrailingStop) with
            {
                StopPrice = P(Instruments.Trailing, 0.98m), TrailingAmount = 1, TrailingUnit = TrailingUnit.Percent,
            }, OrderStatus.Filled),
            One("trailing stop-limit", Ticket(bob, bobAccount, Instruments.Trailing, OrderSide.Sell, 10, OrderType.TrailingStopLimit) with
            {
                StopPrice = P(Instruments.Trailing, 0.98m), LimitPrice = P(Instruments.Trailing, 0.975m), TrailingAmount = 1, TrailingUnit = TrailingUnit.Percent,
            }, OrderStatus.Filled),
        };

        var bracket = Ticket(alice, aliceAccount, Instruments.Bracket, OrderSide.Buy, 25, OrderType.Limit) with
        {
            LimitPrice = P(Instruments.Bracket, 1.005m),
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = P(Instruments.Bracket, 1.025m) },
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = P(Instruments.Bracket, 0.975m) },
        };
        orders.Add(new DemoOrder("bracket", bracket, new Dictionary<Guid, OrderStatus>
        {
            [bracket.OrderId] = OrderStatus.Filled,
            [bracket.TakeProfit.OrderId] = OrderStatus.Filled,
            [bracket.StopLoss.OrderId] = OrderStatus.Cancelled,
        }));

        var second = new OrderLeg
        {
            OrderId = Guid.NewGuid(),
            Conid = Instruments.OcaSecond,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Limit,
            LimitPrice = P(Instruments.OcaSecond, 0.98m),
        };
        var oca = Ticket(carol, carolAccount, Instruments.OcaFirst, OrderSide.Buy, 10, OrderType.Limit) with
        {
            LimitPrice = P(Instruments.OcaFirst, 0.98m),
            OcaGroup = new OcaGroup { Name = "demo-" + Guid.NewGuid().ToString("N")[..8], Orders = [second] },
        };
        orders.Add(new DemoOrder("one-cancels-all pair", oca, new Dictionary<Guid, OrderStatus>
        {
            [oca.OrderId] = OrderStatus.Filled,
            [second.OrderId] = OrderStatus.Cancelled,
        }));

        var toCancel = Ticket(bob, bobAccount, Instruments.Quiet, OrderSide.Buy, 10, OrderType.Limit) with { LimitPrice = P(Instruments.Quiet, 0.98m) };
        orders.Add(One("limit, then cancelled", toCancel, OrderStatus.Cancelled) with
        {
            FollowUp = new CancelOrder { OrderId = toCancel.OrderId, UserId = bob, Reason = "demo: trader withdrew the bid" },
        });
        var toModify = Ticket(carol, carolAccount, Instruments.Quiet, OrderSide.Buy, 10, OrderType.Limit) with { LimitPrice = P(Instruments.Quiet, 0.98m) };
        orders.Add(One("limit, then modified to fill", toModify, OrderStatus.Filled) with
        {
            FollowUp = new ModifyOrder { OrderId = toModify.OrderId, UserId = carol, LimitPrice = P(Instruments.Quiet, 1.01m) },
        });

        orders.Add(One("refused by the margin policy", Ticket(alice, aliceAccount, Instruments.Liquid, OrderSide.Buy, 200_000, OrderType.Market) with
        {
            MarginCheck = MarginCheckPolicy.RejectOnExcessInitialMargin,
        }, OrderStatus.Rejected));
        orders.Add(One("limit far from the market: IBKR's o163 question is not confirmed",
            Ticket(bob, bobAccount, Instruments.Liquid, OrderSide.Buy, 5, OrderType.Limit) with { LimitPrice = P(Instruments.Liquid, 0.5m) }, OrderStatus.Rejected));

        // The fuller IBKR ticket: each fills at once (the cash and Adaptive orders are marketable, the MIDPRICE order's
        // cap is the ask, the future's limit is its price).
        var cash = Ticket(bob, bobAccount, Instruments.Liquid, OrderSide.Buy, 0, OrderType.Market) with { Quantity = null, CashQuantity = 1_000m, TimeInForce = TimeInForce.Day };
        orders.Add(One("cash quantity: 1,000 USD of stock", cash, OrderStatus.Filled));
        var (bid, ask) = (prices[Instruments.MidPrice] - 0.04m, prices[Instruments.MidPrice] + 0.07m);
        var midPrice = Ticket(carol, carolAccount, Instruments.MidPrice, OrderSide.Buy, 10, OrderType.MidPrice) with { LimitPrice = ask };
        orders.Add(One($"MIDPRICE inside {bid}/{ask}", midPrice, OrderStatus.Filled));
        var adaptive = Ticket(alice, aliceAccount, Instruments.Liquid, OrderSide.Buy, 10, OrderType.Limit) with
        {
            LimitPrice = P(Instruments.Liquid, 1.01m),
            Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal" } },
        };
        orders.Add(One("Adaptive (Normal) limit", adaptive, OrderStatus.Filled));
        var future = Ticket(alice, aliceAccount, Instruments.Future, OrderSide.Buy, 1, OrderType.Limit) with
        {
            LimitPrice = prices[Instruments.Future],
            SecurityType = SecurityType.Future,
            ListingExchange = "CME",
            ManualIndicator = false,
        };
        orders.Add(One("ES future, manual indicator false", future, OrderStatus.Filled));

        var invalid = Ticket(alice, aliceAccount, Instruments.Liquid, OrderSide.Buy, 10, OrderType.Market);
        orders.Add(Invalid("future without the manual indicator", future with { OrderId = Guid.NewGuid(), ManualIndicator = null }, "manualIndicator"));
        orders.Add(Invalid("limit without limit price", invalid with { OrderId = Guid.NewGuid(), OrderType = OrderType.Limit }, "limitPrice"));
        orders.Add(Invalid("quantity 0", invalid with { OrderId = Guid.NewGuid(), Quantity = 0 }, "quantity"));
        orders.Add(Invalid("negative stop price", invalid with { OrderId = Guid.NewGuid(), OrderType = OrderType.Stop, StopPrice = -3 }, "stopPrice"));
        orders.Add(Invalid("stop-loss above a buy entry", invalid with
        {
            OrderId = Guid.NewGuid(),
            OrderType = OrderType.Limit,
            LimitPrice = 100m,
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 105m },
        }, "stopLoss.price"));
        orders.Add(Invalid("no account", invalid with { OrderId = Guid.NewGuid(), AccountId = null }, "accountId"));
        orders.Add(Invalid("too many decimals", invalid with { OrderId = Guid.NewGuid(), OrderType = OrderType.Limit, LimitPrice = 100.1234567m }, "limitPrice"));

        for (var i = 0; orders.Count < commandCount; i++)
        {
            var (user, account) = Users[i % Users.Length];
            var side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
            var quantity = random.Next(1, 40) * 5;
            orders.Add(i % 3 == 2
                ? One("marketable limit", Ticket(user, account, Instruments.Liquid, side, quantity, OrderType.Limit) with
                {
                    LimitPrice = P(Instruments.Liquid, side == OrderSide.Buy ? 1.01m : 0.99m),
                    TimeInForce = TimeInForce.Day,
                }, OrderStatus.Filled)
                : One("market", Ticket(user, account, Instruments.Liquid, side, quantity, OrderType.Market) with { TimeInForce = TimeInForce.Day }, OrderStatus.Filled));
        }

        return new DemoScenario
        {
            Orders = orders,
            Tickets = new DemoTickets(cash.OrderId, cash.CashQuantity!.Value, midPrice.OrderId, bid, ask, adaptive.OrderId, future.OrderId),
            MarketMoves = new Dictionary<int, decimal>
            {
                [Instruments.StopLoss] = P(Instruments.StopLoss, 0.97m),
                [Instruments.StopLimit] = P(Instruments.StopLimit, 1.022m),
                [Instruments.Trailing] = P(Instruments.Trailing, 0.977m),
                [Instruments.Bracket] = P(Instruments.Bracket, 1.03m),
                [Instruments.OcaFirst] = P(Instruments.OcaFirst, 0.975m),
            },
        };
    }

    private static DemoOrder One(string label, PlaceOrder command, OrderStatus expected) =>
        new(label, command, new Dictionary<Guid, OrderStatus> { [command.OrderId] = expected });

    private static DemoOrder Invalid(string label, PlaceOrder command, string field) =>
        new("invalid: " + label, command, new Dictionary<Guid, OrderStatus> { [command.OrderId] = OrderStatus.Rejected }, field);
}

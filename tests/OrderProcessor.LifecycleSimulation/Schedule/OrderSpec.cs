using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Schedule;

/// <summary>What kind of order a schedule places.</summary>
public enum OrderShape
{
    Market,
    Limit,
    Stop,
    Bracket,
    Oca,
}

/// <summary>
/// One order a schedule may place, with the ids it will carry. <paramref name="ReferenceChecked"/>: the pre-trade risk
/// controls that need IBKR's reference price apply to it (a maximum notional of 1,000 for a market order, a 10 % price band
/// for limit prices), so its first work is a what-if even without a margin policy.
/// </summary>
public sealed record OrderSpec(int User, OrderShape Shape, TimeInForce TimeInForce, MarginCheckPolicy Margin, Guid OrderId, Guid LegA, Guid LegB,
    bool ReferenceChecked = false)
{
    public static readonly string[] Users = ["alice", "bob", "carol"];

    public string UserId => Users[User % Users.Length];

    /// <summary>The verdict the pre-trade risk check gives this order (as PreTradeRiskCheck decides whether a reference is needed).</summary>
    public RiskVerdict? Risk()
    {
        if (!ReferenceChecked)
        {
            return null;
        }

        const decimal maxNotional = 1_000m, band = 10m;
        var tickets = RiskTicket.Of(Command());
        return tickets.Any(t => t.Conid == tickets[0].Conid && ReferencePriceRules.Needs(t, maxNotional, band))
            ? new RiskVerdict(null, null, maxNotional, band, true)
            : null;
    }

    public PlaceOrder Command()
    {
        var limit = Shape is OrderShape.Limit or OrderShape.Bracket or OrderShape.Oca;
        var command = new PlaceOrder
        {
            OrderId = OrderId,
            UserId = UserId,
            AccountId = Ibkr.IbkrModel.AccountOf(UserId),
            Conid = 265598,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = Shape switch
            {
                OrderShape.Market => OrderType.Market,
                OrderShape.Stop => OrderType.Stop,
                _ => OrderType.Limit,
            },
            LimitPrice = limit ? 100 : null,
            StopPrice = Shape == OrderShape.Stop ? 105 : null,
            TimeInForce = Shape == OrderShape.Market && TimeInForce == TimeInForce.AtTheOpening ? TimeInForce.Day : TimeInForce,
            MarginCheck = Margin,
        };
        return Shape switch
        {
            OrderShape.Bracket => command with
            {
                StopLoss = new AttachedOrder { OrderId = LegA, Price = 95 },
                TakeProfit = new AttachedOrder { OrderId = LegB, Price = 110 },
            },
            OrderShape.Oca => command with
            {
                OcaGroup = new OcaGroup
                {
                    Name = "oca-" + OrderId.ToString("N")[..8],
                    Orders = [new OrderLeg { OrderId = LegA, Side = OrderSide.Buy, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 99 }],
                },
            },
            _ => command,
        };
    }
}

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
/// for limit prices), so its first work is a what-if even without a margin policy. <paramref name="Sizing"/> and
/// <paramref name="Amount"/>: a whole quantity of 10, or a fractional quantity or a cash quantity of that amount;
/// <paramref name="AllOrNone"/> and <paramref name="MidPrice"/>: the ticket's all-or-none flag and the MIDPRICE type.
/// </summary>
public sealed record OrderSpec(int User, OrderShape Shape, TimeInForce TimeInForce, MarginCheckPolicy Margin, Guid OrderId, Guid LegA, Guid LegB,
    bool ReferenceChecked = false, OrderSizing Sizing = OrderSizing.Whole, decimal Amount = 0, bool AllOrNone = false, bool MidPrice = false)
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

    /// <summary>
    /// A cash-sized order whose shape the validator refuses as a cash-quantity order (e.g. with a time in force a cash
    /// order cannot have): it goes by its quantity instead, and IBKR's model fills it as such.
    /// </summary>
    public bool CashRefused => Sizing == OrderSizing.Cash && Command().CashQuantity is null;

    /// <summary>What IBKR is asked beyond the ticket's type, quantity and prices: the model fills the order by these.</summary>
    public Ibkr.ModelTerms Terms()
    {
        var command = Command();
        return new(command.CashQuantity, command.AllOrNone, command.OrderType == OrderType.MidPrice, Sizing == OrderSizing.Fractional);
    }

    public PlaceOrder Command()
    {
        var command = BaseCommand();
        if (Sizing == OrderSizing.Fractional)
        {
            command = command with { Quantity = Amount };
        }

        if (AllOrNone)
        {
            command = command with { AllOrNone = true };
        }

        if (MidPrice && Accepted(command with { OrderType = OrderType.MidPrice, LimitPrice = null }) is { } mid)
        {
            command = mid;
        }

        if (Sizing == OrderSizing.Cash && Accepted(command with { Quantity = null, CashQuantity = Amount }) is { } cash)
        {
            command = cash;
        }

        return command;
    }

    /// <summary>The command if the processor's validator takes it; null when it does not (a field another part of issue 16 brings).</summary>
    private static PlaceOrder? Accepted(PlaceOrder command) => PlaceOrderValidator.Validate(command).Count == 0 ? command : null;

    private PlaceOrder BaseCommand()
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

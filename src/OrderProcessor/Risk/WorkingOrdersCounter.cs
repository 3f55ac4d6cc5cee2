using System.Globalization;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// IBKR's "20 active orders per contract, side and account", counted before anything is sent: the account's orders of
/// the contract and side that are not final (ours not yet sent included: stricter than IBKR, blind to other platforms'
/// orders), plus the tickets of this PlaceOrder. Uses the partial index <c>ix_orders_working_by_contract</c>.
/// </summary>
public static class WorkingOrdersCounter
{
    /// <summary>The statuses of <c>ix_orders_working_by_contract</c>'s filter.</summary>
    private static readonly OrderStatus[] Working =
    [
        OrderStatus.Received, OrderStatus.MarginChecking, OrderStatus.MarginApproved, OrderStatus.Held, OrderStatus.Submitting,
        OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel, OrderStatus.NeedsAttention,
    ];

    /// <summary>
    /// The filter of <c>ix_orders_working_by_contract</c> (the model takes it from here), and the count's condition: the
    /// same text in both, so the planner can prove the index usable under a prepared, generic plan too.
    /// </summary>
    public static readonly string StatusFilter = "status IN (" + string.Join(", ", Working.Select(s => $"'{s}'")) + ")";

    private static readonly string CountSql =
        "SELECT count(*)::int FROM orders WHERE account_id = $1 AND conid = $2 AND side = $3 AND " + StatusFilter;

    /// <summary>The contracts and sides the tickets name, each with how many of the tickets it has.</summary>
    public static IReadOnlyList<ContractSide> SidesOf(IReadOnlyList<RiskTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        return [.. tickets.GroupBy(t => (t.Conid, t.Side)).Select(g => new ContractSide(g.Key.Conid, g.Key.Side, g.Count()))];
    }

    /// <summary>The count of one contract and side's working orders, as a command of the caller's batch (one int).</summary>
    public static NpgsqlBatchCommand Command(string accountId, ContractSide side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return new NpgsqlBatchCommand(CountSql)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = accountId },
                new NpgsqlParameter<int> { TypedValue = side.Conid },
                new NpgsqlParameter<string> { TypedValue = side.Side.ToString() },
            },
        };
    }

    /// <summary>Refuses when the working orders counted and this order's tickets of one contract and side exceed the maximum.</summary>
    public static RiskVerdict? Check(string accountId, ContractSide side, int working, int? max)
    {
        ArgumentNullException.ThrowIfNull(side);
        if (max is not { } limit || working + side.Tickets <= limit)
        {
            return null;
        }

        var sideName = side.Side == OrderSide.Buy ? "BUY" : "SELL";
        return new RiskVerdict(RejectionReasonCode.MaxWorkingOrdersExceeded,
            string.Create(CultureInfo.InvariantCulture,
                $"account {accountId} already has {working} working {sideName} orders for conid {side.Conid} (maximum {limit})"),
            null, null, false);
    }

    /// <summary>One contract and side of an order, and how many of its tickets are on it.</summary>
    public sealed record ContractSide(int Conid, OrderSide Side, int Tickets);
}

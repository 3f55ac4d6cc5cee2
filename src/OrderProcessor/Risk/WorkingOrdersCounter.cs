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

    // A plain command (see ContextCommand): every checked PlaceOrder counts.
    private static readonly string CountSql =
        "SELECT count(*)::int FROM orders WHERE account_id = $1 AND conid = $2 AND side = $3 AND " + StatusFilter;

    public static async Task<RiskVerdict?> CheckAsync(OrderProcessorDbContext db, string accountId, IReadOnlyList<RiskTicket> tickets, int? max,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tickets);
        if (max is not { } limit)
        {
            return null;
        }

        foreach (var group in tickets.GroupBy(t => (t.Conid, t.Side)))
        {
            var (conid, side) = group.Key;
            await using var command = await ContextCommand.CreateAsync(db, CountSql, cancellationToken);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = conid });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = side.ToString() });
            var working = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (working + group.Count() > limit)
            {
                var sideName = side == OrderSide.Buy ? "BUY" : "SELL";
                return new RiskVerdict(RejectionReasonCode.MaxWorkingOrdersExceeded,
                    string.Create(CultureInfo.InvariantCulture,
                        $"account {accountId} already has {working} working {sideName} orders for conid {conid} (maximum {limit})"),
                    null, null, false);
            }
        }

        return null;
    }
}

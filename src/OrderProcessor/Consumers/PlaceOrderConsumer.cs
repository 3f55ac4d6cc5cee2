using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Risk;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Records a PlaceOrder: the inbox row, the new order sagas and their events in one transaction. The relay publishes
/// the events after the commit; the broker worker takes the order to IBKR. A CancelOrder that arrived first wins.
/// </summary>
public sealed class PlaceOrderConsumer(ConsumerUnitOfWork unitOfWork, UpstreamAuthorization upstreams, ILogger<PlaceOrderConsumer> logger,
    IPreTradeRiskCheck? risk = null) : IConsumer<PlaceOrder>
{
    private readonly IPreTradeRiskCheck _risk = risk ?? new NoRiskChecks();

    public async Task Consume(ConsumeContext<PlaceOrder> context)
    {
        var command = context.Message;
        var ids = OrderIdsNamedBy(command);
        var gate = new CommandGate(nameof(PlaceOrder),
            (_, _) => Task.FromResult(new UpstreamSubject(command.UserId, command.AccountId)),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.OrderId, nameof(PlaceOrder), command.UserId, command.AccountId, code, reason, violations, stamp));
        // Sent with the unit of work's locks and inbox check, one round trip: whether the ids are known, and for a valid
        // command what its pre-trade controls read (wasted when it turns out a repeat, a refusal of the gate, or an order
        // whose cancel came first). In this order: every read starts after the key locks, and the controls' reads after
        // the halts' shared lock, which comes first among them; a read that must see the halts' state goes after it.
        var known = KnownRead(ids);
        var riskReads = PlaceOrderValidator.Validate(command).Count == 0 ? _risk.Prepare(command) : null;
        var decision = await unitOfWork.RunAsync(context, nameof(PlaceOrderConsumer), gate, async (db, stamp) =>
        {
            var (anyExisting, anyEarly) = known.Value;
            var existing = anyExisting
                ? await db.Orders.Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, context.CancellationToken)
                : [];
            var early = existing.ContainsKey(command.OrderId) || !anyEarly
                ? []
                : await EarlyCancelsAsync(db, ids, command, context.CancellationToken);
            // Only a valid, new order that will be sent is checked: a repeat, an invalid command and an order whose cancel
            // came first are decided without the controls (and spend no rate token).
            var verdict = riskReads is not null && IsChecked(command, existing, early)
                ? await _risk.CheckAsync(db, command, stamp.At, riskReads, context.CancellationToken)
                : null;
            return OrderPlacement.Place(command, CommandFingerprint.Of(command), existing, stamp, early, verdict);
        }, ids, _risk.LockKeys(command), [known, .. riskReads?.All ?? []]);

        if (decision is null)
        {
            logger.LogInformation("PlaceOrder {MessageId} for order {OrderId} was already processed; acknowledged without effect",
                context.MessageId, command.OrderId);
        }
        else if (decision.Events.Select(e => e.Event).OfType<OrderRejected>().FirstOrDefault() is { } rejected)
        {
            logger.LogWarning("PlaceOrder for order {OrderId} rejected ({ReasonCode}): {Reason}", command.OrderId, rejected.ReasonCode, rejected.Reason);
        }
        else if (decision.Events.Select(e => e.Event).OfType<OrderCancelled>().Any())
        {
            logger.LogInformation("Order {OrderId} recorded and cancelled at once: its CancelOrder arrived first", command.OrderId);
        }
        else if (decision.IsEmpty)
        {
            logger.LogInformation("PlaceOrder for order {OrderId} repeats an order already recorded; no effect", command.OrderId);
        }
        else
        {
            logger.LogInformation("Order {OrderId} accepted with {OrderCount} order(s) for user {UserId}", command.OrderId, decision.Created.Count, command.UserId);
        }
    }

    // Almost every PlaceOrder names ids nothing knows yet, and then neither EF query below runs. The unit of work's advisory
    // locks on these ids hold until the commit, and this read runs after they are granted, so what it says stays true.
    private const string KnownSql = """
        SELECT EXISTS (SELECT 1 FROM orders WHERE order_id = ANY($1)), EXISTS (SELECT 1 FROM early_cancels WHERE order_id = ANY($1))
        """;

    /// <summary>Whether any order, and any early cancel, exists under the ids the command names.</summary>
    private static BatchRead<(bool Orders, bool EarlyCancels)> KnownRead(List<Guid> ids) => new(
        [new Npgsql.NpgsqlBatchCommand(KnownSql) { Parameters = { new Npgsql.NpgsqlParameter<Guid[]> { TypedValue = [.. ids] } } }],
        async (reader, cancellationToken) =>
        {
            await reader.ReadAsync(cancellationToken);
            return (reader.GetBoolean(0), reader.GetBoolean(1));
        });

    /// <summary>The cancels that arrived first, each only if its upstream may act for this order's user and account.</summary>
    private async Task<Dictionary<Guid, EarlyCancel>> EarlyCancelsAsync(OrderProcessorDbContext db, List<Guid> ids, PlaceOrder command,
        CancellationToken cancellationToken)
    {
        var kept = await db.EarlyCancels.Where(c => ids.Contains(c.OrderId)).ToListAsync(cancellationToken);
        var applicable = new Dictionary<Guid, EarlyCancel>();
        foreach (var cancel in kept)
        {
            if (cancel.Upstream is null
                || await upstreams.RefusalAsync(db, cancel.Upstream, new UpstreamSubject(command.UserId, command.AccountId), nameof(CancelOrder), cancellationToken) is null)
            {
                applicable[cancel.OrderId] = cancel.ToEarlyCancel();
            }
        }

        return applicable;
    }

    /// <summary>
    /// Whether the pre-trade controls (the halt first) decide the command: only a valid, new order whose cancel did not come
    /// first (the lifecycle simulation's consumer asks the same).
    /// </summary>
    public static bool IsChecked(PlaceOrder command, IReadOnlyDictionary<Guid, OrderSaga> existing, IReadOnlyDictionary<Guid, EarlyCancel> early)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(early);
        return command.OrderId != Guid.Empty && existing.Count == 0 && PlaceOrderValidator.Validate(command).Count == 0 && !early.ContainsKey(command.OrderId);
    }

    private static List<Guid> OrderIdsNamedBy(PlaceOrder command)
    {
        var ids = new List<Guid> { command.OrderId };
        if (command.StopLoss is { } stopLoss)
        {
            ids.Add(stopLoss.OrderId);
        }

        if (command.TakeProfit is { } takeProfit)
        {
            ids.Add(takeProfit.OrderId);
        }

        // At most as many as a valid group holds: a larger group is refused by its count, and each id named costs a lock.
        ids.AddRange((command.OcaGroup?.Orders ?? []).Where(o => o is not null).Take(OrderLimits.MaxOcaOrders).Select(o => o.OrderId));
        return ids;
    }
}

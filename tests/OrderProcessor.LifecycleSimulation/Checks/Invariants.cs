using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// What must hold after every schedule, checked against IBKR's ledger (the model's truth), the database and the
/// events. Each broken invariant is one line naming the order.
/// </summary>
public static class Invariants
{
    private static readonly HashSet<string> ImpossibleRules = [.. TransitionTable.Cells.Values.Where(r => r.Impossible).Select(r => r.Name)];

    private static readonly OrderStatus[] Followed = [OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel];

    public static List<string> Check(SimWorld world)
    {
        var violations = new List<string>(world.Faults);

        // Claims are fair: a user within its share, its cancels and modifications before its placements.
        violations.AddRange(world.UnfairClaims);

        // At most one instance talks to a user's IBKR session at any moment: the one the database says holds it.
        violations.AddRange(world.Model.ForeignActs);

        // The controls that need IBKR's reference price: refused orders never sent, passed ones within their limits.
        violations.AddRange(ReferenceInvariants.Check(world));

        // The stream: no fill counted twice or beyond IBKR's at its step, OrderFilled only when IBKR filled it (checked as
        // each event was committed); stream reports written only under the lease epoch held; every user read when it had
        // to be (after a gap, without a healthy stream, at the safety interval).
        violations.AddRange(world.FillViolations);
        violations.AddRange(world.GoneViolations);
        foreach (var process in world.Processes)
        {
            violations.AddRange(process.Unread);
            violations.AddRange(process.Fence?.Unfenced ?? []);
        }

        var sagas = world.Db.Orders.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
        var ledger = world.Model.Ledger;
        var events = world.Db.Events.Where(e => e.Sequence > 0).GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Sequence).ToList());

        // No cOID placed twice.
        foreach (var twice in ledger.GroupBy(o => o.ClientOrderId).Where(g => g.Count() > 1))
        {
            violations.Add($"{twice.Key} placed {twice.Count()} times at IBKR");
        }

        // Every order IBKR has is known and followed to a state that agrees with IBKR's, or handed to an operator.
        foreach (var atIbkr in ledger.DistinctBy(o => o.ClientOrderId))
        {
            if (!sagas.TryGetValue(atIbkr.ClientOrderId, out var saga))
            {
                violations.Add($"{atIbkr.ClientOrderId} is at IBKR but the processor has no order for it");
                continue;
            }

            var name = $"{SimWorld.Short(saga.OrderId)} ({atIbkr.ClientOrderId[..11]})";
            var agrees = atIbkr.State switch
            {
                _ when saga.Status == OrderStatus.NeedsAttention => true,
                _ when atIbkr.IsWorking => Followed.Contains(saga.Status),
                BrokerOrderState.Filled => saga.Status == OrderStatus.Filled,
                _ => saga.Status is OrderStatus.Cancelled or OrderStatus.Rejected,
            };
            if (!agrees)
            {
                violations.Add($"{name} is {atIbkr.State} at IBKR (filled {atIbkr.Filled}) but {saga.Status} in the processor");
            }

            if (saga.FilledQuantity > atIbkr.Filled)
            {
                violations.Add($"{name} reports {saga.FilledQuantity} filled; IBKR filled {atIbkr.Filled}");
            }

            if (saga.Status is OrderStatus.Filled or OrderStatus.Cancelled && saga.FilledQuantity != atIbkr.Filled)
            {
                violations.Add($"{name} ended {saga.Status} with {saga.FilledQuantity} filled; IBKR filled {atIbkr.Filled}");
            }

            // Nothing missed: an ended order reports exactly what IBKR executed of it (its distinct executions).
            var executed = world.Model.Executions.Where(e => e.ClientOrderId == atIbkr.ClientOrderId).Sum(e => e.Quantity);
            if (saga.Status is OrderStatus.Filled or OrderStatus.Cancelled && saga.FilledQuantity != executed)
            {
                violations.Add($"{name} ended {saga.Status} with {saga.FilledQuantity} filled; IBKR's executions sum to {executed}");
            }

            if (saga.Status == OrderStatus.Failed)
            {
                violations.Add($"{name} ended Failed (\"provably not at IBKR\") but IBKR has it");
            }

            // Nothing is placed after a cancel the processor accepted before the order reached IBKR. (IBKR may have
            // had it from before, ended without a fill: then the cancel is what IBKR says too, checked above.)
            var chain = events.GetValueOrDefault(saga.OrderId, []);
            if (!chain.Any(e => e.Event is OrderSubmitted) && chain.FirstOrDefault(e => e.Event is OrderCancelled) is { } cancelled
                && ledger.Any(l => l.ClientOrderId == saga.ClientOrderId && l.AcceptedStep >= cancelled.Step))
            {
                violations.Add($"{name} was placed at IBKR after the processor had cancelled it without sending it");
            }
        }

        // Orders IBKR never had are not followed as if it had them, and none is left half-way.
        var atIbkrIds = ledger.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        foreach (var saga in world.Db.Orders.Where(o => !atIbkrIds.Contains(o.ClientOrderId)))
        {
            if (saga.Status is OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel or OrderStatus.Filled)
            {
                violations.Add($"{SimWorld.Short(saga.OrderId)} is {saga.Status} but IBKR never had it");
            }
        }

        foreach (var saga in world.Db.Orders.Where(o => o.Status is OrderStatus.Received or OrderStatus.MarginChecking or OrderStatus.MarginApproved or OrderStatus.Submitting))
        {
            violations.Add($"{SimWorld.Short(saga.OrderId)} was left {saga.Status} (work {saga.WorkDue} due {saga.WorkDueAt:HH:mm:ss})");
        }

        // Events: gapless, final is final, fills never go back, OrderFilled only when IBKR says filled.
        foreach (var (orderId, chain) in events)
        {
            var name = SimWorld.Short(orderId);
            for (var i = 0; i < chain.Count; i++)
            {
                if (chain[i].Sequence != i + 1)
                {
                    violations.Add($"{name}'s events are numbered {string.Join(",", chain.Select(e => e.Sequence))}");
                    break;
                }
            }

            var ended = false;
            var filled = 0m;
            foreach (var e in chain.Select(c => c.Event))
            {
                var isCommandRefusal = e is OrderRejected { Command: not nameof(PlaceOrder) };
                if (ended && !isCommandRefusal)
                {
                    violations.Add($"{name} has {e.GetType().Name} after it ended");
                }

                var reported = e switch
                {
                    OrderPartiallyFilled p => p.FilledQuantity,
                    OrderFilled f => f.FilledQuantity,
                    OrderCancelled c => c.FilledQuantity,
                    _ => filled,
                };
                if (reported < filled)
                {
                    violations.Add($"{name}'s filled quantity went back from {filled} to {reported}");
                }

                filled = Math.Max(filled, reported);
                ended |= e is OrderFilled or OrderCancelled or OrderFailed || e is OrderRejected { Command: nameof(PlaceOrder) };
            }

            var saga = world.Db.Orders.FirstOrDefault(o => o.OrderId == orderId);
            if (chain.Any(c => c.Event is OrderFilled) && saga is not null
                && ledger.FirstOrDefault(l => l.ClientOrderId == saga.ClientOrderId) is not { State: BrokerOrderState.Filled })
            {
                violations.Add($"{name} was reported filled but IBKR did not fill it");
            }
        }

        // Fill events of fractional and cash-quantity orders: exact deltas, IBKR's 4 decimals, cash within the cash quantity.
        violations.AddRange(FillInvariants.Check(world));

        // The kill switch's invariants (halted scopes send nothing, one event per halt or resume).
        violations.AddRange(HaltInvariants.Check(world));

        // IBKR's maintenance windows (held orders).
        violations.AddRange(MaintenanceInvariants.Check(world));

        // Every MarginCheck is answered exactly once (MarginCheckCompleted or OrderRejected), whichever instance holds its user.
        foreach (var checkId in world.Checks)
        {
            var answers = world.Db.Events.Count(e => e.OrderId == checkId && e.Sequence == 0);
            if (answers != 1)
            {
                violations.Add($"margin check {SimWorld.Short(checkId)} was answered {answers} times");
            }
        }

        // No rule the machine should never meet, and no work that loops.
        foreach (var (step, rule) in world.Db.RulesApplied.Where(r => ImpossibleRules.Contains(r.Rule[(r.Rule.LastIndexOf('→') + 2)..])))
        {
            violations.Add($"step {step}: impossible transition {rule}");
        }

        var calls = world.Model.CallsByKind.Values.Sum();
        if (calls > 400 + (200 * world.Db.Orders.Count))
        {
            violations.Add($"{calls} IBKR calls for {world.Db.Orders.Count} orders: work loops");
        }

        return violations;
    }
}

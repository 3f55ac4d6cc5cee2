using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Store;
using OrderProcessor.LifecycleSimulation.World;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// What must hold through IBKR's maintenance windows (issue 13, invariants 1-5): a window never fails an order, nothing
/// reaches IBKR during one, held orders go to IBKR in arrival order per user, every hold ends (sent, cancelled or
/// rejected no earlier than its bound), and a hold is announced once per episode and only from a state not at IBKR.
/// </summary>
public static class MaintenanceInvariants
{
    public static List<string> Check(SimWorld world)
    {
        var violations = new List<string>();

        // 2. Nothing state-changing is sent for a user while IBKR is in maintenance for it.
        violations.AddRange(world.Model.SentDuringMaintenance);

        var sagas = world.Db.Orders.ToDictionary(o => o.OrderId);
        var chains = world.Db.Events.Where(e => e.Sequence > 0).GroupBy(e => e.OrderId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Sequence).ToList());
        foreach (var (orderId, chain) in chains)
        {
            var name = SimWorld.Short(orderId);

            // 1. A window never fails an order.
            foreach (var failed in chain.Select(c => c.Event).OfType<OrderFailed>()
                         .Where(f => f.FailureKind == "Unavailable" || f.Reason.Contains("maintenance", StringComparison.OrdinalIgnoreCase) || f.Reason.Contains("503", StringComparison.Ordinal)))
            {
                violations.Add($"{name} ended Failed because IBKR was unavailable: {failed.Reason}");
            }

            // 5. OrderHeld only from MarginChecking or Submitting, once per hold episode (an episode ends when IBKR takes
            //    the order, the order ends, or an operator gets it).
            var inEpisode = false;
            OrderHeld? lastHold = null;
            foreach (var e in chain.Select(c => c.Event))
            {
                switch (e)
                {
                    case OrderHeld held:
                        if (held.PreviousStatus is not (OrderStatus.MarginChecking or OrderStatus.Submitting))
                        {
                            violations.Add($"{name} was held from {held.PreviousStatus}");
                        }

                        if (inEpisode)
                        {
                            violations.Add($"{name} announced OrderHeld twice in one hold");
                        }

                        (inEpisode, lastHold) = (true, held);
                        break;
                    case OrderSubmitted or OrderFilled or OrderCancelled or OrderFailed or OrderStatusChanged { Status: OrderStatus.NeedsAttention }:
                    case OrderRejected { Command: nameof(PlaceOrder) }:
                        // 4. A hold expires no earlier than its bound: the order's own, or for a member that waited in
                        //    Received behind its group's what-if, the group leader's.
                        if (e is OrderRejected { ReasonCode: RejectionReasonCode.HoldExpired } expired
                            && (lastHold ?? LeaderHold(sagas, chains, orderId, expired.OccurredAt)) is var bound
                            && (bound is null || expired.OccurredAt < bound.RejectAfter))
                        {
                            violations.Add($"{name} was rejected HoldExpired at {expired.OccurredAt:HH:mm:ss}, before its bound {bound?.RejectAfter:HH:mm:ss}");
                        }

                        inEpisode = false;
                        break;
                }
            }
        }

        // 4. No order is left held.
        foreach (var saga in sagas.Values.Where(o => o.Status == OrderStatus.Held))
        {
            violations.Add($"{SimWorld.Short(saga.OrderId)} was left Held (due {saga.WorkDue} at {saga.WorkDueAt:HH:mm:ss}, held since {saga.HeldSince:HH:mm:ss})");
        }

        // 3. Per user, held orders reach IBKR in arrival order: of two held orders of a user that IBKR accepted from the
        //    same instance's sends, the older one first. (Arrival order is not promised across users nor across a lease
        //    handover: orders sent by different instances are not compared.)
        var heldIds = chains.Where(c => c.Value.Any(e => e.Event is OrderHeld)).Select(c => c.Key).ToHashSet();
        var accepted = world.Model.Ledger
            .Select(l => (Order: world.Db.Orders.FirstOrDefault(o => o.ClientOrderId == l.ClientOrderId && o.SubmittedWithOrderId is null), l.SentBy))
            .Where(a => a.Order is not null && heldIds.Contains(a.Order.OrderId)).DistinctBy(a => a.Order!.OrderId).ToList();
        foreach (var sender in accepted.GroupBy(a => (a.Order!.UserId, a.SentBy)))
        {
            var order = sender.Select(a => a.Order!).ToList();
            for (var i = 1; i < order.Count; i++)
            {
                if (order[i].CreatedAt < order[i - 1].CreatedAt)
                {
                    violations.Add($"held orders of {sender.Key.UserId} reached IBKR out of arrival order: {SimWorld.Short(order[i - 1].OrderId)} (arrived {order[i - 1].CreatedAt:HH:mm:ss.f}) before {SimWorld.Short(order[i].OrderId)} (arrived {order[i].CreatedAt:HH:mm:ss.f})");
                }
            }
        }

        return violations;
    }

    /// <summary>The last hold announced for the group leader of <paramref name="orderId"/> up to <paramref name="until"/>, if it has one.</summary>
    private static OrderHeld? LeaderHold(Dictionary<Guid, Orders.OrderSaga> sagas, Dictionary<Guid, List<CommittedEvent>> chains, Guid orderId, DateTimeOffset until) =>
        sagas.TryGetValue(orderId, out var member) && member.SubmittedWithOrderId is { } leader && leader != orderId && chains.TryGetValue(leader, out var chain)
            ? chain.Select(c => c.Event).OfType<OrderHeld>().LastOrDefault(h => h.OccurredAt <= until)
            : null;
}

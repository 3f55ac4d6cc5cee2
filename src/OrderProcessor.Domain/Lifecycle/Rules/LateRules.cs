using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The result of a claim the order no longer carries: its lease ran out and another claim took the work, or the order
/// moved on (cancelled, observed, modified). It may add what IBKR said, never move the order back or re-arm work.
/// </summary>
internal static class LateRules
{
    public static readonly Rule AddWhatIbkrSaid = new("late-adds-only",
        "A late acceptance (or already-registered) moves orders still being sent, held, or handed to an operator, to Submitted (a ticket IBKR refused in it to Rejected) and fills in IBKR's order ids; a late reconciliation's reports are taken in; a late accepted modification is applied if nothing newer is pending. Anything else is dropped.",
        t =>
        {
            switch (t.Input)
            {
                case SubmissionAccepted accepted:
                    foreach (var order in t.Group)
                    {
                        var ticket = accepted.Accepted.GetValueOrDefault(order.ClientOrderId);
                        if (order.Status is OrderStatus.Submitting or OrderStatus.NeedsAttention or OrderStatus.Held && accepted.Refused.TryGetValue(order.ClientOrderId, out var refusal))
                        {
                            // IBKR refused this ticket of the group: that is final, whenever the answer arrives.
                            Steps.Reject(t, order, refusal.Code, refusal.Reason, refusal.QuestionIds);
                        }
                        else if (order.Status is OrderStatus.Submitting or OrderStatus.NeedsAttention or OrderStatus.Held && ticket is not null)
                        {
                            Steps.MarkSubmitted(t, order, ticket.BrokerOrderId, ticket.State);
                        }
                        else if (ticket is not null && !Steps.IsFinal(order.Status))
                        {
                            order.BrokerOrderId ??= ticket.BrokerOrderId;
                        }
                    }

                    // What the answer did not settle is looked for again (the claim that was doing so became late).
                    if (t.Group.Any(o => o.Status == OrderStatus.Submitting) && t.Order.ClaimToken is null)
                    {
                        SubmissionRules.LookForTheRest(t, misses: 0);
                    }

                    break;

                case SubmissionAlreadyRegistered:
                    foreach (var order in t.Group.Where(o => o.Status is OrderStatus.Submitting or OrderStatus.NeedsAttention or OrderStatus.Held).ToList())
                    {
                        Steps.MarkSubmitted(t, order, null, null);
                    }

                    break;

                case ReconcileRead read:
                    foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)).ToList())
                    {
                        if (read.Found.TryGetValue(order.ClientOrderId, out var observation))
                        {
                            ObservationRules.Apply(t, order, observation);
                        }
                    }

                    break;

                case ModifyAccepted modified when t.Order.PendingModification is null || ModifyRules.IsSame(t.Order.PendingModification, modified.Sent):
                    ModifyRules.ApplyModification(t, t.Order, modified.Sent);
                    break;
            }
        });
}

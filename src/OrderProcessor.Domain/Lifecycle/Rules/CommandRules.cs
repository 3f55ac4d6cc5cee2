using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Rules for CancelOrder and ModifyOrder about an order the processor knows.</summary>
internal static class CommandRules
{
    public static readonly Rule CancelBeforeSending = new("cancel-now",
        "Nothing of it is at IBKR: cancelled at once (a leader with the orders its submission carries; a leg or member alone, and it is left out of the submission).",
        t =>
        {
            var reason = t.InputAs<CancelRequested>().Reason;
            var orders = t.Order.SubmittedWithOrderId is null ? t.Group : [t.Order];
            foreach (var order in orders.Where(o => !Steps.IsFinal(o.Status)))
            {
                order.CancelRequested = true;
                Steps.Cancel(t, order, reason);
            }
        });

    public static readonly Rule CancelWhileSubmitting = new("cancel-when-known",
        "A leader whose resend is due (IBKR provably does not have it) is cancelled at once with its group; otherwise the cancel (of the whole group, for a leader) waits for the send's outcome: not sent or proved absent, cancelled without sending; accepted or found, cancelled at IBKR.",
        t =>
        {
            var reason = t.InputAs<CancelRequested>().Reason;
            var order = t.Order;
            if (order.SubmittedWithOrderId is null && order.WorkDue == OrderWork.Submit && order.ClaimToken is null)
            {
                CancelBeforeSending.Apply(t);
                return;
            }

            // A leader's cancel is its group's: every member still open waits for the send's outcome with it.
            foreach (var member in (order.SubmittedWithOrderId is null ? t.Group : [order]).Where(o => !Steps.IsFinal(o.Status)))
            {
                member.CancelRequested = true;
                member.CancelReason ??= reason;
                member.UpdatedAt = t.Now;
            }
        });

    public static readonly Rule CancelAtIbkr = new("send-cancel",
        "PendingCancel and the cancel request due now; a leader's members are cancelled with it (those still being looked for as soon as they are found). A modification under way is dropped.",
        t =>
        {
            var reason = t.InputAs<CancelRequested>().Reason;
            Steps.BeginCancel(t, t.Order, reason);
            foreach (var member in t.Carried.Where(m => !Steps.IsFinal(m.Status)))
            {
                if (member.Status is OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled)
                {
                    Steps.BeginCancel(t, member, reason);
                }
                else
                {
                    // Still being looked for (or pending cancel already): cancelled as soon as it is found.
                    member.CancelRequested = true;
                    member.CancelReason ??= reason;
                }
            }
        });

    public static readonly Rule CancelAgain = new("cancel-again",
        "The cancel is already under way: its attempts start again and, if it is waiting, it is sent now.",
        t =>
        {
            var order = t.Order;
            order.CancelRequested = true;
            order.WorkAttempts = 0;
            if (order.WorkDue == OrderWork.Cancel && order.ClaimToken is null)
            {
                order.WorkDueAt = t.Now;
            }
        });

    public static readonly Rule RefuseFinal = new("refuse",
        "The order is final: the command is refused (InvalidState) and the order is unaffected.",
        t =>
        {
            var (name, userId) = Command(t.Input);
            Steps.RefuseCommand(t, t.Order, name, userId, RejectionReasonCode.InvalidState,
                $"order {t.Order.OrderId} is already {t.Order.Status}; {name} does not apply.");
        });

    public static readonly Rule RefuseNeedsAttention = new("refuse-attention",
        "What IBKR has of the order is unknown and an operator must settle it: the command is refused (InvalidState) with the reason.",
        t =>
        {
            var (name, userId) = Command(t.Input);
            Steps.RefuseCommand(t, t.Order, name, userId, RejectionReasonCode.InvalidState,
                $"order {t.Order.OrderId} needs an operator ({t.Order.LastReason}); {name} cannot be applied until it is settled.");
        });

    public static readonly Rule ModifyAtIbkr = new("send-modify",
        "Validated against the order; the whole ticket with the changes is due to be sent now (OrderModified when IBKR accepts). Refused while IBKR's order id is not known yet, or while another modification is being sent.",
        t =>
        {
            var command = t.InputAs<ModifyRequested>().Command;
            var order = t.Order;
            if (order.WorkDue == OrderWork.Modify && order.ClaimToken is not null)
            {
                Steps.RefuseCommand(t, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.InvalidState,
                    $"a modification of order {order.OrderId} is being sent to IBKR; send this one after its answer (OrderModified or OrderRejected).");
                return;
            }

            if (order.BrokerOrderId is null)
            {
                Steps.RefuseCommand(t, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.InvalidState,
                    $"order {order.OrderId} is at IBKR but IBKR's order id is not known yet; try again after the next status report.");
                return;
            }

            var violations = ModifyOrderValidator.Validate(order, command);
            if (violations.Count > 0)
            {
                Steps.RefuseCommand(t, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.ValidationFailed,
                    string.Join(" ", violations.Select(v => v.Message)), violations);
                return;
            }

            order.PendingModification = JsonSerializer.Serialize(command, ContractJson.Options);
            Steps.Schedule(order, OrderWork.Modify, t.Now);
            order.WorkAttempts = 0;
            order.UpdatedAt = t.Now;
        });

    public static readonly Rule RefuseModifyNotAtIbkr = new("refuse-modify",
        "Only an order IBKR works (and is not being cancelled) can be modified: refused (InvalidState).",
        t =>
        {
            var command = t.InputAs<ModifyRequested>().Command;
            Steps.RefuseCommand(t, t.Order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.InvalidState,
                $"order {t.Order.OrderId} is {t.Order.Status}; only an order working at IBKR can be modified.");
        });

    private static (string Name, string? UserId) Command(OrderInput input) => input switch
    {
        CancelRequested cancel => (nameof(CancelOrder), cancel.Command.UserId),
        ModifyRequested modify => (nameof(ModifyOrder), modify.Command.UserId),
        _ => throw new InvalidOperationException($"{input.GetType().Name} is not a command"),
    };
}

using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// A command refused before it is decided (its upstream may not act for the user, it reuses another command's message
/// id, it is too large): an OrderRejected outside any order's chain (sequence 0), so an order of that id, if there is
/// one, is unaffected. Every text from the command is clipped. Pure code.
/// </summary>
public static class CommandRefusal
{
    public static OrderDecision Of(Guid id, string command, string? userId, string? accountId, RejectionReasonCode code, string reason,
        IReadOnlyList<FieldViolation> violations, EventStamp stamp) =>
        OrderPlacement.Standalone(id, new OrderRejected
        {
            ReasonCode = code,
            Reason = reason,
            Violations = ViolationCap.Apply(violations),
            Command = command,
            UserId = OrderLimits.Clip(userId),
            AccountId = OrderLimits.Clip(accountId),
        }, stamp);
}

using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// How a command endpoint answers a command that does not bind (see <see cref="UnboundCommandFilter{TCommand}"/>): the
/// consumer whose inbox it shares, the JSON property holding its id, and the same gate its consumer builds for a bound
/// command (subject for upstream authorization, refusal outside the order's chain; a margin check's also answers its
/// requester), and whether an existing order under the id makes it a ConflictingDuplicate before anything else, as a
/// bound PlaceOrder is (an order's id is taken by its first PlaceOrder).
/// </summary>
public sealed record UnboundCommandRoute(string Consumer, string IdProperty, Func<UnboundCommand, ConsumeContext, CommandGate> Gate,
    bool ExistingIdConflicts = false)
{
    public static readonly UnboundCommandRoute PlaceOrder = new(nameof(PlaceOrderConsumer), "orderId", (command, _) =>
        new CommandGate(nameof(Contracts.PlaceOrder),
            (_, _) => Task.FromResult(new UpstreamSubject(command.UserId, command.AccountId)),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.Id, nameof(Contracts.PlaceOrder), command.UserId, command.AccountId, code, reason, violations, stamp)),
        ExistingIdConflicts: true);

    public static readonly UnboundCommandRoute CancelOrder = new(nameof(CancelOrderConsumer), "orderId", (command, _) =>
        new CommandGate(nameof(Contracts.CancelOrder),
            (db, cancellationToken) => SubjectOf.OrderAsync(db, command.Id, command.UserId, cancellationToken),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.Id, nameof(Contracts.CancelOrder), command.UserId, null, code, reason, violations, stamp)));

    public static readonly UnboundCommandRoute ModifyOrder = new(nameof(ModifyOrderConsumer), "orderId", (command, _) =>
        new CommandGate(nameof(Contracts.ModifyOrder),
            (db, cancellationToken) => SubjectOf.OrderAsync(db, command.Id, command.UserId, cancellationToken),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.Id, nameof(Contracts.ModifyOrder), command.UserId, null, code, reason, violations, stamp)));

    public static readonly UnboundCommandRoute MarginCheck = new(nameof(MarginCheckConsumer), "checkId", (command, context) =>
        new CommandGate(nameof(Contracts.MarginCheck),
            (_, _) => Task.FromResult(new UpstreamSubject(command.UserId, command.AccountId)),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.Id, nameof(Contracts.MarginCheck), command.UserId, command.AccountId, code, reason, violations, stamp)
                .RespondTo(context.ResponseAddress, context.RequestId)));

    public static readonly UnboundCommandRoute HaltTrading = new(nameof(HaltTradingConsumer), "haltId", (command, context) =>
        TradingControlGate.For(nameof(Contracts.HaltTrading), command.Id, command.UserId, command.AccountId, context));

    public static readonly UnboundCommandRoute ResumeTrading = new(nameof(ResumeTradingConsumer), "resumeId", (command, context) =>
        TradingControlGate.For(nameof(Contracts.ResumeTrading), command.Id, command.UserId, command.AccountId, context));
}

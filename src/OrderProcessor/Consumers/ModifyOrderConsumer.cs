using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Risk;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>Records a modification through the state machine; the broker worker sends the whole ticket with the changes to IBKR.</summary>
public sealed class ModifyOrderConsumer(ConsumerUnitOfWork unitOfWork, IOptions<LifecycleOptions> options, IPreTradeRiskCheck? risk = null)
    : IConsumer<ModifyOrder>
{
    private readonly IPreTradeRiskCheck _risk = risk ?? new NoRiskChecks();

    private readonly LifecycleSettings _settings = options.Value.ToSettings();

    public async Task Consume(ConsumeContext<ModifyOrder> context)
    {
        var command = context.Message;
        var gate = new CommandGate(nameof(ModifyOrder),
            (db, cancellationToken) => SubjectOf.OrderAsync(db, command.OrderId, command.UserId, cancellationToken),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.OrderId, nameof(ModifyOrder), command.UserId, null, code, reason, violations, stamp));
        await unitOfWork.RunAsync(context, nameof(ModifyOrderConsumer), gate, async (db, stamp) =>
        {
            var order = await db.Orders.SingleOrDefaultAsync(o => o.OrderId == command.OrderId, context.CancellationToken);
            if (order is null)
            {
                return OrderPlacement.Unknown(command.OrderId, nameof(ModifyOrder), command.UserId, stamp);
            }

            // A change of a live order of this user is checked again (halt, quantity, notional) before the state machine
            // records it; a refusal leaves the order as it was (an OrderRejected outside its chain, as the gate's).
            if (!OrderLifecycle.IsFinal(order.Status) && order.UserId == command.UserId
                && await _risk.CheckModifyAsync(db, order, command, context.CancellationToken) is { Refused: true } refused)
            {
                return CommandRefusal.Of(command.OrderId, nameof(ModifyOrder), command.UserId, order.AccountId, refused.Code!.Value,
                    $"{refused.Reason}; the order is unchanged.", [], stamp);
            }

            return OrderLifecycle.Apply([order], new ModifyRequested(command), stamp, _settings);
        });
    }
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>Records a modification through the state machine; the broker worker sends the whole ticket with the changes to IBKR.</summary>
public sealed class ModifyOrderConsumer(ConsumerUnitOfWork unitOfWork, IOptions<LifecycleOptions> options, Halts.ITradingHalts? halts = null) : IConsumer<ModifyOrder>
{
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

            // A halted scope changes nothing at IBKR but cancels: a modify is refused, the order unaffected.
            return halts is not null && await halts.ActiveForAsync(db, order.UserId, order.AccountId, context.CancellationToken) is { } halt
                ? CommandRefusal.Of(command.OrderId, nameof(ModifyOrder), command.UserId, order.AccountId, RejectionReasonCode.TradingHalted,
                    halt.RefusalReason() + "; the order is unaffected.", [], stamp)
                : OrderLifecycle.Apply([order], new ModifyRequested(command), stamp, _settings);
        });
    }
}

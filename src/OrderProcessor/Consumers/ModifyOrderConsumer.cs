using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Consumers;

/// <summary>Records a modification; the broker worker sends the whole ticket with the changes to IBKR.</summary>
public sealed class ModifyOrderConsumer(ConsumerUnitOfWork unitOfWork) : IConsumer<ModifyOrder>
{
    public async Task Consume(ConsumeContext<ModifyOrder> context)
    {
        var command = context.Message;
        await unitOfWork.RunAsync(context, nameof(ModifyOrderConsumer), async (db, stamp) =>
        {
            var order = await db.Orders.SingleOrDefaultAsync(o => o.OrderId == command.OrderId, context.CancellationToken);
            return order is null
                ? OrderTransitions.Unknown(command.OrderId, nameof(ModifyOrder), command.UserId, stamp)
                : OrderTransitions.RequestModify(order, command, stamp);
        });
    }
}

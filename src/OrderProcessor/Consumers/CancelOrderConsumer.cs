using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Consumers;

/// <summary>Records a cancel request; the broker worker sends it to IBKR and the status poll confirms it.</summary>
public sealed class CancelOrderConsumer(ConsumerUnitOfWork unitOfWork) : IConsumer<CancelOrder>
{
    public async Task Consume(ConsumeContext<CancelOrder> context)
    {
        var command = context.Message;
        await unitOfWork.RunAsync(context, nameof(CancelOrderConsumer), async (db, stamp) =>
        {
            var order = await db.Orders.SingleOrDefaultAsync(o => o.OrderId == command.OrderId, context.CancellationToken);
            if (order is null)
            {
                return OrderTransitions.Unknown(command.OrderId, nameof(CancelOrder), command.UserId, stamp);
            }

            var carried = await db.Orders.Where(o => o.SubmittedWithOrderId == order.OrderId).ToListAsync(context.CancellationToken);
            return OrderTransitions.RequestCancel(order, carried, command, stamp);
        });
    }
}

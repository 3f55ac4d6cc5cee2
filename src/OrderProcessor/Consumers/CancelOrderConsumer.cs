using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Records a cancel request through the state machine; the broker worker sends it to IBKR and the status poll confirms
/// it. A cancel for an order not known yet is kept: its PlaceOrder may still be on its way.
/// </summary>
public sealed class CancelOrderConsumer(ConsumerUnitOfWork unitOfWork, IOptions<LifecycleOptions> options) : IConsumer<CancelOrder>
{
    private readonly LifecycleSettings _settings = options.Value.ToSettings();
    private readonly TimeSpan _keptFor = options.Value.InboxRetention;

    public async Task Consume(ConsumeContext<CancelOrder> context)
    {
        var command = context.Message;
        var gate = new CommandGate(nameof(CancelOrder),
            (db, cancellationToken) => SubjectOf.OrderAsync(db, command.OrderId, command.UserId, cancellationToken),
            (code, reason, violations, stamp) => CommandRefusal.Of(command.OrderId, nameof(CancelOrder), command.UserId, null, code, reason, violations, stamp));
        await unitOfWork.RunAsync(context, nameof(CancelOrderConsumer), gate, async (db, stamp) =>
        {
            var order = await db.Orders.SingleOrDefaultAsync(o => o.OrderId == command.OrderId, context.CancellationToken);
            if (order is null)
            {
                var decision = OrderPlacement.CancelUnknown(command, stamp, _keptFor, out var kept);
                if (kept is not null && !await db.EarlyCancels.AnyAsync(c => c.OrderId == kept.OrderId, context.CancellationToken))
                {
                    db.EarlyCancels.Add(new EarlyCancelEntry
                    {
                        OrderId = kept.OrderId,
                        UserId = kept.UserId,
                        Reason = kept.Reason,
                        ReceivedAt = kept.ReceivedAt,
                        Upstream = UpstreamAuthorization.UpstreamOf(context),
                    });
                }

                return decision;
            }

            var carried = await db.Orders.Where(o => o.SubmittedWithOrderId == order.OrderId).OrderBy(o => o.ClientOrderId).ToListAsync(context.CancellationToken);
            return OrderLifecycle.Apply([order, .. carried], new CancelRequested(command), stamp, _settings);
        }, [command.OrderId]);
    }
}

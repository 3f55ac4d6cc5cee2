using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Writes a work result through the state machine, stamped now, in the conversation of the order. Once a send's (or its
/// reconciliation's) result is written, what the order stream reported of the group meanwhile (ignored while the orders
/// were being sent) is applied (<see cref="IStreamedOrders.SubmissionSettledAsync"/>).
/// </summary>
public sealed class WorkResults(IOrderStore store, LifecycleSettings settings, TimeProvider timeProvider, IStreamedOrders? streamed = null)
{
    public LifecycleSettings Settings => settings;

    public async Task<bool> ApplyAsync(ClaimedWork work, OrderInput result)
    {
        var written = await store.UpdateGroupAsync(work, group => OrderLifecycle.Apply(group, result, Stamp(group[0]), settings), CancellationToken.None);
        if (written && streamed is not null && work.Work is OrderWork.Submit or OrderWork.Reconcile)
        {
            await streamed.SubmissionSettledAsync(work.UserId, work.Epoch, [.. work.Group.Select(o => o.ClientOrderId)], CancellationToken.None);
        }

        return written;
    }

    public EventStamp Stamp(OrderSaga order)
    {
        var now = timeProvider.GetUtcNow();
        return EventStamp.Create(now, order.CorrelationId, Guid.CreateVersion7(now));
    }
}

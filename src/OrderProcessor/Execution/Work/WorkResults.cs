using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>Writes a work result through the state machine, stamped now, in the conversation of the order.</summary>
public sealed class WorkResults(IOrderStore store, LifecycleSettings settings, TimeProvider timeProvider)
{
    public LifecycleSettings Settings => settings;

    public Task<bool> ApplyAsync(ClaimedWork work, OrderInput result) =>
        store.UpdateGroupAsync(work, group => OrderLifecycle.Apply(group, result, Stamp(group[0]), settings), CancellationToken.None);

    public EventStamp Stamp(OrderSaga order)
    {
        var now = timeProvider.GetUtcNow();
        return EventStamp.Create(now, order.CorrelationId, Guid.CreateVersion7(now));
    }
}

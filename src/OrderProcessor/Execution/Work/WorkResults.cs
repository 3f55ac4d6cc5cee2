using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// Writes a work result through the state machine, stamped now, in the conversation of the order. A send's (or its
/// reconciliation's) result is written together with what the order stream reported of the group meanwhile (ignored
/// while the orders were being sent): one transaction for the answer and, say, the fill that streamed in before it.
/// Reports that come while the answer is being written are applied after it (<see cref="IStreamedOrders.SubmissionSettledAsync"/>).
/// </summary>
public sealed class WorkResults(IOrderStore store, LifecycleSettings settings, TimeProvider timeProvider, IStreamedOrders? streamed = null)
{
    private static readonly IReadOnlyDictionary<string, BrokerOrderObservation> NoReports = new Dictionary<string, BrokerOrderObservation>();

    public LifecycleSettings Settings => settings;

    /// <summary>The group is about to be sent (<see cref="IStreamedOrders.Sending"/>).</summary>
    public void Sending(ClaimedWork work, IReadOnlyCollection<OrderSaga> sending)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(sending);
        streamed?.Sending(work.UserId, [.. sending.Select(o => o.ClientOrderId)]);
    }

    public async Task<bool> ApplyAsync(ClaimedWork work, OrderInput result)
    {
        ArgumentNullException.ThrowIfNull(work);
        var settles = streamed is not null && work.Work is OrderWork.Submit or OrderWork.Reconcile;
        var clientOrderIds = work.Group.Select(o => o.ClientOrderId).ToList();
        var reported = settles ? streamed!.RetainedReports(work.UserId, clientOrderIds) : NoReports;
        var withTheAnswer = new Dictionary<string, BrokerOrderObservation>(StringComparer.Ordinal);
        var written = await store.UpdateGroupAsync(work, group =>
        {
            // Decided again on a fresh read after a conflict: only the last run's reports count as written.
            withTheAnswer.Clear();
            var decision = OrderLifecycle.Apply(group, result, Stamp(group[0]), settings);
            foreach (var order in group)
            {
                // An order still being sent (an ambiguous answer) leaves the report to its reconciliation; an ended one
                // takes no report (the stream's own writes read open orders only).
                if (reported.TryGetValue(order.ClientOrderId, out var observation)
                    && order.Status != OrderStatus.Submitting && !OrderLifecycle.FinalStatuses.Contains(order.Status))
                {
                    decision.Include(ObservationWriter.ApplyStreamed(order, observation, Stamp(order), settings));
                    withTheAnswer[order.ClientOrderId] = observation;
                }
            }

            return decision;
        }, CancellationToken.None);
        if (written && settles)
        {
            await streamed!.SubmissionSettledAsync(work.UserId, work.Epoch, clientOrderIds, withTheAnswer, CancellationToken.None);
        }

        return written;
    }

    public EventStamp Stamp(OrderSaga order)
    {
        var now = timeProvider.GetUtcNow();
        return EventStamp.Create(now, order.CorrelationId, Guid.CreateVersion7(now));
    }
}

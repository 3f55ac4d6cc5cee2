using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// Writes what IBKR reported of a user's orders into their sagas: the write half shared by the REST read
/// (<see cref="UserOrdersPoll"/>: observations and <see cref="Unlisted"/>) and the order stream
/// (<c>OrderStreamIntake</c>: observations only; absence on a stream means nothing). Each report becomes the input
/// <see cref="Observed"/> through <see cref="OrderLifecycle.Apply"/>, so the poll and the stream follow the same
/// transition rows (filled only grows, final stays final: the same fill reported twice is one event).
/// Writes happen only under the user's lease epoch the caller holds (<see cref="IOrderStore.UpdateOpenOrdersAsync"/>).
/// </summary>
public sealed class ObservationWriter(IOrderStore store, IOptions<LifecycleOptions> options, TimeProvider timeProvider)
{
    private const int MaxConcurrentWrites = 16;

    private readonly LifecycleSettings _settings = options.Value.ToSettings();
    private readonly TimeSpan _interval = options.Value.StatusPollInterval;

    // Polls and stream writes run on their own, so many may answer at once: at most this many write to the database at a
    // time, to keep connections for the worker and the consumers. A poll still waiting for its read holds no turn, so a
    // stuck user never keeps another from writing.
    private readonly SemaphoreSlim _writers = new(MaxConcurrentWrites, MaxConcurrentWrites);

    /// <summary>
    /// A REST read's write: every order of ours it lists is <see cref="Observed"/>, every followed order it does not list
    /// (and that has not changed for a whole poll interval before <paramref name="asked"/>) is <see cref="Unlisted"/>.
    /// </summary>
    public async Task<ObservationWrite> WriteReadAsync(string userId, long epoch, DateTimeOffset asked,
        IReadOnlyDictionary<string, BrokerOrderObservation> observations, CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        try
        {
            // An order that changed just before the live orders were asked for may simply not be listed yet: it counts as
            // unlisted only once it has not changed for a whole interval.
            var unlisted = (await store.FollowedOrdersAsync(userId, asked - _interval, cancellationToken))
                .Where(c => !observations.ContainsKey(c)).ToList();
            return await WriteAsync(userId, epoch, observations, unlisted, cancellationToken);
        }
        finally
        {
            _writers.Release();
        }
    }

    /// <summary>A stream's write: the orders it reported, nothing about the others.</summary>
    public async Task<ObservationWrite> WriteStreamedAsync(string userId, long epoch,
        IReadOnlyDictionary<string, BrokerOrderObservation> observations, CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        try
        {
            return await WriteAsync(userId, epoch, observations, [], cancellationToken, fromStream: true);
        }
        finally
        {
            _writers.Release();
        }
    }

    private async Task<ObservationWrite> WriteAsync(string userId, long epoch, IReadOnlyDictionary<string, BrokerOrderObservation> observations,
        IReadOnlyList<string> unlisted, CancellationToken cancellationToken, bool fromStream = false)
    {
        if (observations.Count == 0 && unlisted.Count == 0)
        {
            return ObservationWrite.Nothing;
        }

        // Decided again on a fresh read when another writer came first: only the last run's outcomes count.
        var applied = new List<string>();
        var leftToTheSend = new List<string>();
        var decided = false;
        var written = await store.UpdateOpenOrdersAsync(userId, epoch, [.. observations.Keys, .. unlisted], orders =>
        {
            decided = true;
            applied.Clear();
            leftToTheSend.Clear();
            var decision = new OrderDecision();
            var now = timeProvider.GetUtcNow();
            var pollId = Guid.CreateVersion7(now);
            foreach (var (clientOrderId, order) in orders.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                var observed = observations.TryGetValue(clientOrderId, out var observation);
                if (observed && fromStream && order.Status != OrderStatus.Submitting && WaitsForTheStatus(order, observation!))
                {
                    continue;
                }

                if (observed && order.Status == OrderStatus.Submitting)
                {
                    // The table leaves it to the send's answer: the caller may apply it again once that is written.
                    leftToTheSend.Add(clientOrderId);
                }

                var (status, filled) = (order.Status, order.FilledQuantity);
                var events = OrderLifecycle.Apply([order], observed ? new Observed(observation!) : Unlisted.Instance,
                    EventStamp.Create(now, order.CorrelationId, pollId), _settings);
                decision.Include(events);
                if (observed && (events.Events.Count > 0 || order.Status != status || order.FilledQuantity != filled))
                {
                    applied.Add(clientOrderId);
                }
            }

            return decision;
        }, cancellationToken);
        // Not written after deciding: the lease fence refused it (PostgreSQL decides first, then checks the epoch in the
        // transaction). Not written without deciding: none of the orders is open (or the store checked the lease first).
        return written ? new ObservationWrite(true, applied, leftToTheSend, unlisted.Count)
            : decided ? ObservationWrite.Refused : ObservationWrite.Nothing;
    }

    /// <summary>
    /// A stream report of an order whose send's answer is being written, applied in the answer's transaction
    /// (<see cref="Work.WorkResults"/>): the same rule as <see cref="WriteStreamedAsync"/> (a report that needs IBKR's
    /// status waits for it: nothing). Only for an order the answer moved on from Submitting and not ended.
    /// </summary>
    public static OrderDecision ApplyStreamed(OrderSaga order, BrokerOrderObservation observation, EventStamp stamp, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(observation);
        return WaitsForTheStatus(order, observation) ? new OrderDecision() : OrderLifecycle.Apply([order], new Observed(observation), stamp, settings);
    }

    /// <summary>
    /// A stream report that cannot be written without IBKR's status, which the stream has not given (yet): it is left
    /// to a later frame or read. Two cases. The executions (<c>str</c>) cover the whole order (for a cash-quantity order,
    /// may: see <see cref="FillFigures.MayCoverTheWhole"/>) while the status is not an end (the <c>sor</c> delta is on its way, or after a reconnect the read after subscribing brings it): written now,
    /// that would be an OrderPartiallyFilled of everything and then an OrderFilled, one fill reported twice. And a report
    /// of executions alone (<see cref="BrokerOrderState.Unknown"/>) is read by the lifecycle as "IBKR works the order":
    /// it may only add fills to an order we already follow as working, never take a cancel under way, an order needing
    /// attention or one being settled back to working.
    /// </summary>
    private static bool WaitsForTheStatus(OrderSaga order, BrokerOrderObservation observation) =>
        !BrokerOrderStates.IsEnded(observation.State)
        && (FillFigures.MayCoverTheWhole(order, observation)
            || (observation.State == BrokerOrderState.Unknown
                && (order.Status is not (OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled) || order.WorkDue == OrderWork.Settle)));
}

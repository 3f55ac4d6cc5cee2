using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// One status poll of one user: reads IBKR's live orders and feeds every order of ours into its saga, listed
/// (<see cref="Observed"/>) or not (<see cref="Unlisted"/>: an order that stays unlisted ended in an earlier session
/// and is settled from the trades). The read is shared with the user's reconciles (<see cref="SharedLiveOrders"/>); it
/// began after <c>asked</c>, so what it lists is at least what IBKR had then.
/// </summary>
public sealed class UserOrdersPoll(SharedLiveOrders liveOrders, IOrderStore store, IOptions<LifecycleOptions> options, TimeProvider timeProvider)
{
    private const int MaxConcurrentWrites = 16;

    private readonly LifecycleSettings _settings = options.Value.ToSettings();
    private readonly TimeSpan _interval = options.Value.StatusPollInterval;

    // Polls run on their own (the status poller waits for none), so many may answer at once: at most this many write to
    // the database at a time, to keep connections for the worker and the consumers. A poll still waiting for its read
    // holds no turn, so a stuck user never keeps another from writing.
    private readonly SemaphoreSlim _writers = new(MaxConcurrentWrites, MaxConcurrentWrites);

    /// <summary>Polls <paramref name="userId"/>, whose lease this instance holds under <paramref name="epoch"/>.</summary>
    public async Task RunAsync(string userId, long epoch, CancellationToken cancellationToken)
    {
        var asked = timeProvider.GetUtcNow();
        var observations = OutcomeTranslator.Observations(await liveOrders.ReadAsync(userId, cancellationToken), null);
        await _writers.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(userId, epoch, asked, observations, cancellationToken);
        }
        finally
        {
            _writers.Release();
        }
    }

    private async Task WriteAsync(string userId, long epoch, DateTimeOffset asked, Dictionary<string, BrokerOrderObservation> observations, CancellationToken cancellationToken)
    {
        // An order that changed just before the live orders were asked for may simply not be listed yet: it counts as
        // unlisted only once it has not changed for a whole interval.
        var unlisted = (await store.FollowedOrdersAsync(userId, asked - _interval, cancellationToken))
            .Where(c => !observations.ContainsKey(c)).ToList();
        if (observations.Count == 0 && unlisted.Count == 0)
        {
            return;
        }

        await store.UpdateOpenOrdersAsync(userId, epoch, [.. observations.Keys, .. unlisted], orders =>
        {
            var decision = new OrderDecision();
            var now = timeProvider.GetUtcNow();
            var pollId = Guid.CreateVersion7(now);
            foreach (var (clientOrderId, order) in orders.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                OrderInput input = observations.TryGetValue(clientOrderId, out var observation) ? new Observed(observation) : Unlisted.Instance;
                decision.Include(OrderLifecycle.Apply([order], input, EventStamp.Create(now, order.CorrelationId, pollId), _settings));
            }

            return decision;
        }, cancellationToken);
    }
}

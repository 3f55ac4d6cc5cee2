using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// One REST read of one user's live orders (a status poll, or a reconciliation of the order stream): feeds every order
/// of ours into its saga, listed (<see cref="Observed"/>) or not (<see cref="Unlisted"/>: an order that stays unlisted
/// ended in an earlier session and is settled from the trades), through the <see cref="ObservationWriter"/> the stream
/// shares. The read is shared with the user's reconciles (<see cref="SharedLiveOrders"/>); it began after <c>asked</c>,
/// so what it lists is at least what IBKR had then. Every read also seeds the stream's merged view of the orders
/// (<see cref="IStreamedOrders.Seed"/>: sparse <c>sor</c> deltas apply to it) and is recorded in the
/// <see cref="ReconcileSchedule"/>.
/// </summary>
public sealed class UserOrdersPoll(
    SharedLiveOrders liveOrders,
    IOrderStore store,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ObservationWriter? writer = null,
    IStreamedOrders? streamed = null,
    ReconcileSchedule? schedule = null)
{
    private readonly ObservationWriter _writer = writer ?? new ObservationWriter(store, options, timeProvider);

    /// <summary>Reads <paramref name="userId"/>, whose lease this instance holds under <paramref name="epoch"/>.</summary>
    public async Task RunAsync(string userId, long epoch, CancellationToken cancellationToken)
    {
        var asked = timeProvider.GetUtcNow();
        schedule?.Polled(userId, asked);
        var live = await liveOrders.ReadAsync(userId, cancellationToken);
        schedule?.Answered(userId, asked);
        streamed?.Seed(userId, live, asked);
        var observations = OutcomeTranslator.Observations(live, null);
        var written = await _writer.WriteReadAsync(userId, epoch, asked, observations, cancellationToken);
        schedule?.Unlisted(userId, written.Unlisted);
        // Orders still being sent that the read found filled or ended (news the answer, "submitted", does not carry; a
        // fill the stream never reported): kept for their answers. An order merely listed as working needs nothing.
        var news = written.Written
            ? written.LeftToTheSend.Where(c => observations.TryGetValue(c, out var o) && (o.FilledQuantity > 0 || BrokerOrderStates.IsEnded(o.State))).ToList()
            : [];
        if (news.Count > 0 && streamed is not null)
        {
            await streamed.ReadDuringSendAsync(userId, epoch, news, cancellationToken);
        }
    }
}

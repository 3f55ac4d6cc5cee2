using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>The stream intake's hooks for the REST reads and the send (what the stream saw before the saga could take it).</summary>
public interface IStreamedOrders
{
    /// <summary>Every REST read of a user's live orders seeds the merged view the sparse <c>sor</c> deltas apply to.</summary>
    void Seed(string userId, IReadOnlyList<LiveOrder> live, DateTimeOffset readBegan);

    /// <summary>
    /// These orders are about to be sent: until their answer is written, the stream's reports of them are kept for it
    /// without asking the database (which would only say that they are still being sent).
    /// </summary>
    void Sending(string userId, IReadOnlyCollection<string> clientOrderIds);

    /// <summary>
    /// What the stream reported of these orders while they were being sent (the saga could not take it then): written in
    /// the same transaction as the send's answer (<see cref="Work.WorkResults"/>), so a fill that streams in before the
    /// place answer costs no write of its own.
    /// </summary>
    IReadOnlyDictionary<string, BrokerOrderObservation> RetainedReports(string userId, IReadOnlyCollection<string> clientOrderIds);

    /// <summary>
    /// A submission result was written for these orders: what the stream reported for them meanwhile (while the saga was
    /// still sending, and so ignored) is applied now, unless it was written with the answer
    /// (<paramref name="writtenWithTheAnswer"/>, the very same report).
    /// </summary>
    Task SubmissionSettledAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        IReadOnlyDictionary<string, BrokerOrderObservation> writtenWithTheAnswer, CancellationToken cancellationToken);

    /// <summary>
    /// A REST read listed these orders while they were being sent, and the table left what it said to the send's answer
    /// (which says only "submitted"): it is kept for the answer as a stream report is, and written with it. Without this
    /// a fill only the read saw (an order filled before its user's <c>sor</c> was subscribed, which <c>sor</c> does not
    /// replay) waited for the next read, a minute away while the stream is healthy.
    /// </summary>
    Task ReadDuringSendAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken);
}

using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Execution;

/// <summary>The stream intake's hooks for the REST reads and the send (what the stream saw before the saga could take it).</summary>
public interface IStreamedOrders
{
    /// <summary>Every REST read of a user's live orders seeds the merged view the sparse <c>sor</c> deltas apply to.</summary>
    void Seed(string userId, IReadOnlyList<LiveOrder> live, DateTimeOffset readBegan);

    /// <summary>
    /// A submission result was written for these orders: what the stream reported for them meanwhile (while the saga was
    /// still sending, and so ignored) is applied now.
    /// </summary>
    Task SubmissionSettledAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken);
}

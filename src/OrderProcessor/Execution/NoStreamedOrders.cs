using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Execution;

/// <summary>No stream intake: the REST reads alone follow orders.</summary>
public sealed class NoStreamedOrders : IStreamedOrders
{
    public void Seed(string userId, IReadOnlyList<LiveOrder> live, DateTimeOffset readBegan)
    {
    }

    public Task SubmissionSettledAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}

using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>No stream intake: the REST reads alone follow orders.</summary>
public sealed class NoStreamedOrders : IStreamedOrders
{
    public void Seed(string userId, IReadOnlyList<LiveOrder> live, DateTimeOffset readBegan)
    {
    }

    public void Sending(string userId, IReadOnlyCollection<string> clientOrderIds)
    {
    }

    public IReadOnlyDictionary<string, BrokerOrderObservation> RetainedReports(string userId, IReadOnlyCollection<string> clientOrderIds) =>
        new Dictionary<string, BrokerOrderObservation>();

    public Task SubmissionSettledAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        IReadOnlyDictionary<string, BrokerOrderObservation> writtenWithTheAnswer, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Polling alone: the next read, within the poll interval, finds the order with its answer written.</summary>
    public Task ReadDuringSendAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Work;
using OrderProcessor.Orders;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// A clean stop that begins while the broker worker is claiming: the claim may already have committed (its orders are
/// claimed under its token), so its work must run and be drained. Cut by the stop, the orders would stay claimed by
/// nobody until the work lease ran out and be reconciled by the next holder (a rolling restart in CI reconciled 3).
/// </summary>
public sealed class When_the_worker_stops_during_a_claim(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_run_and_drain_the_work_the_claim_returns()
    {
        var store = new GatedClaimStore();
        var submit = new RecordingWork();
        var worker = Worker(store, submit);

        await worker.StartAsync(CancellationToken.None);
        await store.ClaimStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = worker.StopAsync(CancellationToken.None);
        store.Commit.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        output.WriteLine($"claim saw its token cancelled: {store.SawCancelled}; work run: {submit.Ran.Count}");
        Assert.Equal([store.Claimed.LeaderId], submit.Ran);
    }

    private static BrokerWorker Worker(IOrderStore store, IBrokerWork submit)
    {
        var time = TimeProvider.System;
        var queue = new NoMarginChecks();
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var metrics = new OrderProcessorMetrics(meters, new DatabaseGauges(null!, time));
        var marginCheckWork = new StandaloneMarginCheckWork(null!, new AccountDirectory(null!, time), queue, new LifecycleSettings(), time);
        return new BrokerWorker(store, [submit], queue, marginCheckWork, new BrokerWorkSignal(),
            Options.Create(new LifecycleOptions()), metrics, time, NullLogger<BrokerWorker>.Instance);
    }

    /// <summary>
    /// The first claim waits for the test, then "commits" and, like a database driver that saw the cancellation only
    /// after the commit, throws if its token was cancelled meanwhile; later claims find nothing.
    /// </summary>
    private sealed class GatedClaimStore : IOrderStore
    {
        private int _claims;

        public TaskCompletionSource ClaimStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Commit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ClaimedWork Claimed { get; } = new(OrderWork.Submit, Guid.NewGuid(),
            [new OrderSaga { OrderId = Guid.NewGuid(), ClientOrderId = "claimed-at-stop", UserId = "alice", Status = OrderStatus.Submitting }], 1);

        public bool SawCancelled { get; private set; }

        public async Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _claims) > 1)
            {
                return [];
            }

            ClaimStarted.SetResult();
            await Commit.Task;
            SawCancelled = cancellationToken.IsCancellationRequested;
            cancellationToken.ThrowIfCancellationRequested();
            return [Claimed];
        }

        public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
            Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class RecordingWork : IBrokerWork
    {
        public ConcurrentQueue<Guid> Ran { get; } = new();

        public OrderWork Kind => OrderWork.Submit;

        public async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
        {
            await Task.Delay(50, CancellationToken.None);
            Ran.Enqueue(work.LeaderId);
        }
    }

    private sealed class NoMarginChecks : IMarginCheckQueue
    {
        public Task<IReadOnlyList<(MarginCheckRequest Request, Guid Token, long Epoch)>> ClaimDueAsync(int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(MarginCheckRequest Request, Guid Token, long Epoch)>>([]);

        public void Expect()
        {
        }

        public Task UpdateAsync(Guid checkId, long epoch, Func<MarginCheckRequest, OrderDecision?> decide, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}

using System.Collections.Concurrent;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// A guard whose live-orders reads wait until the test answers them (one pending read per call, in order); a user can be
/// made to hang (its reads never answered until cancelled). Nothing else is supported.
/// </summary>
internal sealed class FakeLiveOrdersGateway : IBrokerageGateway
{
    private readonly ConcurrentQueue<(string UserId, TaskCompletionSource<IReadOnlyList<LiveOrder>> Answer)> _pending = new();

    public ConcurrentDictionary<string, bool> Hanging { get; } = new(StringComparer.Ordinal);

    /// <summary>Users whose reads are answered at once (with no orders).</summary>
    public ConcurrentDictionary<string, bool> Instant { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string UserId, DateTimeOffset At)> Started { get; } = new();

    public int Sent => Started.Count;

    /// <summary>When the first read of <paramref name="userId"/> was sent, waiting up to 15 s for it (a test run's cold start can delay a poller's first tick by seconds).</summary>
    public async Task<DateTimeOffset> FirstReadAsync(string userId)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (true)
        {
            if (Started.Where(s => s.UserId == userId).Select(s => (DateTimeOffset?)s.At).FirstOrDefault() is { } at)
            {
                return at;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"'{userId}' was not read in 15 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Users whose reads are answered at once with these orders.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<LiveOrder>> Listed { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<LiveOrder>> GetLiveOrdersAsync(string userId, string? accountId = null, bool force = false, CancellationToken cancellationToken = default)
    {
        Started.Enqueue((userId, DateTimeOffset.UtcNow));
        if (Listed.TryGetValue(userId, out var listed))
        {
            return Task.FromResult(listed);
        }

        if (Instant.ContainsKey(userId))
        {
            return Task.FromResult<IReadOnlyList<LiveOrder>>([]);
        }

        var answer = new TaskCompletionSource<IReadOnlyList<LiveOrder>>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        if (!Hanging.ContainsKey(userId))
        {
            _pending.Enqueue((userId, answer));
        }

        return answer.Task;
    }

    /// <summary>
    /// Answers the oldest pending read with orders carrying these cOIDs, waiting (up to 5 s) for one to be sent: the read
    /// queued behind another is sent just after that one's answer.
    /// </summary>
    public void AnswerNext(params string[] clientOrderIds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        (string UserId, TaskCompletionSource<IReadOnlyList<LiveOrder>> Answer) next;
        while (!_pending.TryDequeue(out next))
        {
            Assert.True(DateTime.UtcNow < deadline, "no read is pending");
            Thread.Sleep(5);
        }

        next.Answer.TrySetResult([.. clientOrderIds.Select(c => new LiveOrder { OrderRef = c, Status = "Submitted", OrderId = "1" })]);
    }

    public Task<IReadOnlyList<string>> GetAccountsAsync(string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PlaceOrderResult> PlaceOrderAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<WhatIfResult> WhatIfAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    /// <summary>Trades reads sent (user, days); each waits for <see cref="ReleaseTrades"/>.</summary>
    public ConcurrentQueue<(string UserId, int Days)> TradesStarted { get; } = new();

    private TaskCompletionSource<IReadOnlyList<Trade>> _trades = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<Trade>> GetTradesAsync(string userId, int days, CancellationToken cancellationToken = default)
    {
        TradesStarted.Enqueue((userId, days));
        return _trades.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Answers every trades read sent so far with no trades; later reads wait again.</summary>
    public void ReleaseTrades() => Interlocked.Exchange(ref _trades, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult([]);

    public Task<OrderStatusResponse> GetOrderStatusAsync(string userId, string orderId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CancelOrderResult> CancelOrderAsync(string userId, string accountId, string orderId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PlaceOrderResult> ModifyOrderAsync(string userId, string accountId, string orderId, OrderTicket ticket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task LogoutAsync(string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

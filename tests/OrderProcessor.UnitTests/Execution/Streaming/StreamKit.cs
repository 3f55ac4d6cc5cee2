using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Streaming;
using OrderProcessor.Execution.Work;
using OrderProcessor.Orders;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// The real intake, writer, schedule, poll and work results over an in-memory store of real sagas (built through the
/// state machine), with the lease fence of <see cref="PostgresOrderStore"/>: decided first, refused when the epoch is
/// no longer held.
/// </summary>
internal sealed class StreamKit
{
    public const string User = "alice";

    public StreamKit(TimeSpan? coalesce = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new LifecycleOptions
        {
            StreamCoalesceWindow = coalesce ?? TimeSpan.Zero,
            MaxWaitBeforeSend = Sagas.Settings.MaxWaitBeforeSend,
        });
        Writer = new ObservationWriter(Store, Options, Time);
        Schedule = new ReconcileSchedule(Options, Time);
        Intake = new OrderStreamIntake(Writer, Schedule, () => Poll!, Options, Time, NullLogger<OrderStreamIntake>.Instance);
        Poll = new UserOrdersPoll(new SharedLiveOrders(Gateway), Store, Options, Time, Writer, Intake, Schedule);
        Results = new WorkResults(Store, Sagas.Settings, Time, Intake);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));

    public IOptions<LifecycleOptions> Options { get; }

    public SagaStore Store { get; } = new();

    public FakeLiveOrdersGateway Gateway { get; } = new();

    public ObservationWriter Writer { get; }

    public ReconcileSchedule Schedule { get; }

    public OrderStreamIntake Intake { get; }

    public UserOrdersPoll Poll { get; }

    public WorkResults Results { get; }

    private readonly long _connection = 1;

    /// <summary>A socket opened under <paramref name="epoch"/>: the read before subscribing (seeds the book).</summary>
    public Task ConnectAsync(long epoch = 1) => Intake.BeforeSubscribeAsync(User, epoch, CancellationToken.None);

    public ValueTask FrameAsync(long epoch = 1, IReadOnlyList<LiveOrder>? sor = null, IReadOnlyList<Trade>? str = null) =>
        Intake.OnBatchAsync(new OrderStreamBatch(User, epoch, _connection, Time.GetUtcNow(), sor ?? [], str ?? []), CancellationToken.None);

    public static LiveOrder Full(OrderSaga order, string orderId, string status, decimal filled = 0, decimal? average = null) => new()
    {
        Acct = "DU1234567",
        Conid = "265598",
        OrderId = orderId,
        OrderRef = order.ClientOrderId,
        Status = status,
        FilledQuantity = filled,
        RemainingQuantity = order.Quantity - filled,
        TotalSize = order.Quantity,
        AvgPrice = average,
        OrderType = "Limit",
        Side = "BUY",
        Ticker = "AAPL",
    };

    /// <summary>A sparse delta: the identity and what changed.</summary>
    public static LiveOrder Delta(string orderId, string? status = null, decimal? filled = null, decimal? remaining = null, decimal? average = null) => new()
    {
        Acct = "DU1234567",
        Conid = "265598",
        OrderId = orderId,
        Status = status,
        FilledQuantity = filled,
        RemainingQuantity = remaining,
        AvgPrice = average,
    };

    public static Trade Execution(string executionId, string orderId, decimal size, decimal price, string? clientOrderId = null) => new()
    {
        ExecutionId = executionId,
        OrderId = orderId,
        OrderRef = clientOrderId,
        Size = size,
        Price = price,
        Account = "DU1234567",
        Conid = "265598",
        Side = "B",
    };

    public int EventsOf<T>() => Store.Events.OfType<T>().Count();
}

/// <summary>Orders in memory; writes fenced by the held epoch, decided before the fence like PostgreSQL.</summary>
internal sealed class SagaStore : IOrderStore
{
    private readonly Lock _sync = new();

    public List<OrderSaga> Orders { get; } = [];

    public List<IOrderEvent> Events { get; } = [];

    public long HeldEpoch { get; set; } = 1;

    public int Writes { get; private set; }

    public int Refused { get; private set; }

    public Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var open = Orders.Where(o => o.UserId == userId && clientOrderIds.Contains(o.ClientOrderId) && !OrderLifecycle.IsFinal(o.Status))
                .ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
            if (open.Count == 0)
            {
                return Task.FromResult(false);
            }

            // Decided on copies: a refused write changes nothing.
            var copies = open.ToDictionary(o => o.Key, o => Copy(o.Value), StringComparer.Ordinal);
            var decision = transition(copies);
            if (epoch != HeldEpoch)
            {
                Refused++;
                return Task.FromResult(false);
            }

            Commit(copies.Values, decision);
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            var copies = work.Group.Select(g => Copy(Orders.Single(o => o.OrderId == g.OrderId))).ToList();
            var decision = transition(copies);
            if (work.Epoch != HeldEpoch)
            {
                Refused++;
                return Task.FromResult(false);
            }

            Commit(copies, decision);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. Orders.Where(o => o.UserId == userId
                && o.Status is OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel)
                .Select(o => o.ClientOrderId)]);
        }
    }

    public Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken) => throw new NotSupportedException();

    public OrderSaga Find(string clientOrderId)
    {
        lock (_sync)
        {
            return Copy(Orders.Single(o => o.ClientOrderId == clientOrderId));
        }
    }

    private void Commit(IEnumerable<OrderSaga> changed, OrderDecision decision)
    {
        Writes++;
        foreach (var order in changed)
        {
            Orders[Orders.FindIndex(o => o.OrderId == order.OrderId)] = order;
        }

        Events.AddRange(decision.Events.Select(e => e.Event));
    }

    private static OrderSaga Copy(OrderSaga order) => LifecycleSimulation.Store.SagaCopies.Copy(order);
}

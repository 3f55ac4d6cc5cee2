using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.LifecycleSimulation.Ibkr;

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// One incarnation's guard sockets, as the real <c>OrderStreamSupervisor</c>/<c>UserOrderStream</c> keep them, on the
/// model's sockets: the processor says whom it follows (<see cref="IOrderStreams"/>), the schedule says when a socket
/// opens, delivers, drops, stalls or sends garbage, and this class tells the processor's observer (the real
/// <c>OrderStreamIntake</c>) in the guard's order: the read before subscribing, the frames of one user one at a time in
/// arrival order, and a gap whenever the stream may have missed something. Reconnects wait for the schedule (its
/// spacing is the backoff).
/// </summary>
public sealed class SimOrderStreams(IbkrModel model, string instanceId, int incarnation, IUserSessionAuthority authority, SimClock clock, TimeSpan attempt)
    : IOrderStreams
{
    /// <summary><c>Brokerage:Stream:HeartbeatTimeout</c>: a socket silent this long is given up.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(25);

    /// <summary><c>Brokerage:Stream:IdleCloseAfter</c>: an unfollowed user's socket closes after this long.</summary>
    public static readonly TimeSpan IdleCloseAfter = TimeSpan.FromMinutes(2);

    /// <summary><c>Brokerage:Stream:MalformedBeforeReconnect</c>.</summary>
    public const int MalformedBeforeReconnect = 3;

    private readonly Dictionary<string, UserStream> _users = new(StringComparer.Ordinal);

    /// <summary>The processor's side of the sockets (set once the process is built).</summary>
    public IOrderStreamObserver Observer { get; set; } = new NoOrderStreamObserver();

    /// <summary>A gap told to the observer (for the liveness check): user, cause, when.</summary>
    public Action<StreamGap>? GapTold { get; set; }

    /// <summary>The read before subscribing began (for the liveness check): user, the read under way.</summary>
    public Action<string, Task>? ReadBeforeSubscribe { get; set; }

    /// <summary>Work under way (reads before subscribing, frame deliveries): a faulted one is a bug the simulation reports.</summary>
    public List<(string What, Task Task)> Running { get; } = [];

    public void Follow(string userId, long leaseEpoch)
    {
        if (!_users.TryGetValue(userId, out var user))
        {
            _users[userId] = new UserStream { Epoch = leaseEpoch, State = OrderStreamState.Connecting };
            return;
        }

        user.UnfollowedAt = null;
        if (user.Epoch != leaseEpoch)
        {
            // A new epoch reopens the socket under it.
            user.Epoch = leaseEpoch;
            if (user.Socket is { } socket)
            {
                model.EndStream(socket, StreamGapCause.Closed);
            }

            user.State = OrderStreamState.Connecting;
        }
        else if (user.State == OrderStreamState.PollingOnly && user.Socket is null)
        {
            user.State = OrderStreamState.Connecting;
        }
    }

    public void Unfollow(string userId)
    {
        if (_users.TryGetValue(userId, out var user))
        {
            user.UnfollowedAt ??= clock.Now;
        }
    }

    public OrderStreamState StateOf(string userId) => _users.TryGetValue(userId, out var user) ? user.State : OrderStreamState.NotFollowed;

    /// <summary>Whether this incarnation's guard would open the user's socket now: followed, none open or opening, the lease provable.</summary>
    public bool MayConnect(string userId) =>
        _users.TryGetValue(userId, out var user) && user.Socket is null && user.UnfollowedAt is null && authority.MayUse(userId, attempt);

    /// <summary>Opens the user's socket: the read before subscribing, then the subscriptions and the gap <c>Subscribed</c>.</summary>
    public bool Connect(string userId, CancellationToken readDeadline)
    {
        if (!MayConnect(userId))
        {
            return false;
        }

        var user = _users[userId];
        var socket = model.Connect(userId, instanceId, incarnation, user.Epoch);
        user.Socket = socket;
        user.State = OrderStreamState.Connecting;
        var task = ConnectAsync(user, socket, readDeadline);
        Running.Add(($"connect of {userId}", task));
        return true;
    }

    private async Task ConnectAsync(UserStream user, ModelStream socket, CancellationToken readDeadline)
    {
        try
        {
            var read = Observer.BeforeSubscribeAsync(socket.UserId, socket.LeaseEpoch, readDeadline);
            ReadBeforeSubscribe?.Invoke(socket.UserId, read);
            await read;
        }
        catch (Exception exception) when (exception is OperationCanceledException or Brokerage.Failures.BrokerageException)
        {
            // The guard closes the socket and tries again after its backoff.
            model.EndStream(socket, StreamGapCause.Dropped);
            return;
        }

        if (user.Socket != socket || !model.Subscribe(socket))
        {
            return;
        }

        user.State = OrderStreamState.Streaming;
        Tell(new StreamGap(socket.UserId, socket.LeaseEpoch, socket.ConnectionId, StreamGapCause.Subscribed, clock.Now));
    }

    /// <summary>A frame arrived on one of this incarnation's sockets: handed to the observer after the user's earlier frames.</summary>
    public void Deliver(ModelStream socket, StreamFrame frame)
    {
        if (!_users.TryGetValue(socket.UserId, out var user) || user.Socket != socket)
        {
            return;
        }

        var batch = new OrderStreamBatch(socket.UserId, socket.LeaseEpoch, socket.ConnectionId, clock.Now,
            frame is OrderDeltaFrame sor ? [sor.Delta] : [],
            frame is ExecutionFrame str ? [str.Execution] : []);
        var previous = user.Delivering;
        user.Delivering = DeliverAfterAsync(previous, batch);
        Running.Add(($"frame {frame.Number} of {socket.UserId}", user.Delivering));
    }

    private async Task DeliverAfterAsync(Task previous, OrderStreamBatch batch)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // The earlier frame's failure is reported by its own task.
        }

        await Observer.OnBatchAsync(batch, CancellationToken.None);
    }

    /// <summary>An unreadable frame on the socket: the gap <c>Malformed</c>; a few of them end the socket.</summary>
    public void Garbage(ModelStream socket)
    {
        if (!_users.TryGetValue(socket.UserId, out var user) || user.Socket != socket)
        {
            return;
        }

        if (++socket.Garbage >= MalformedBeforeReconnect)
        {
            model.EndStream(socket, StreamGapCause.Malformed);
            return;
        }

        Tell(new StreamGap(socket.UserId, socket.LeaseEpoch, socket.ConnectionId, StreamGapCause.Malformed, clock.Now));
    }

    /// <summary>IBKR (or the guard) ended one of this incarnation's sockets.</summary>
    public void Ended(ModelStream socket, StreamGapCause cause)
    {
        if (!_users.TryGetValue(socket.UserId, out var user) || user.Socket != socket)
        {
            return;
        }

        user.Socket = null;
        user.State = cause is StreamGapCause.Closed or StreamGapCause.Competing ? OrderStreamState.PollingOnly : OrderStreamState.Reconnecting;
        Tell(new StreamGap(socket.UserId, socket.LeaseEpoch, socket.ConnectionId, cause, clock.Now));
    }

    /// <summary>
    /// The guard's watchdog (every second in the real one): a socket silent for the heartbeat timeout is given up, one
    /// whose lease this incarnation can no longer prove is closed (fencing), an unfollowed user's closes when idle long enough.
    /// </summary>
    public void Watch()
    {
        foreach (var (userId, user) in _users.ToList())
        {
            if (user.Socket is { } socket && socket.StalledSince is { } since && clock.Now - since >= HeartbeatTimeout)
            {
                model.EndStream(socket, StreamGapCause.HeartbeatMissed);
            }

            if (user.Socket is { } held && !authority.MayUse(userId, attempt))
            {
                model.EndStream(held, StreamGapCause.Closed);
            }

            if (user.UnfollowedAt is { } unfollowed && clock.Now - unfollowed >= IdleCloseAfter)
            {
                if (user.Socket is { } idle)
                {
                    model.EndStream(idle, StreamGapCause.Closed);
                }

                _users.Remove(userId);
            }
        }
    }

    /// <summary>The users this incarnation follows or keeps a socket for.</summary>
    public IEnumerable<string> Users => _users.Keys;

    private void Tell(StreamGap gap)
    {
        GapTold?.Invoke(gap);
        Observer.OnGap(gap);
    }

    private sealed class UserStream
    {
        public long Epoch { get; set; }

        public OrderStreamState State { get; set; }

        public ModelStream? Socket { get; set; }

        public DateTimeOffset? UnfollowedAt { get; set; }

        public Task Delivering { get; set; } = Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// Every open order stream, what they subscribed to, and what goes out on them: order changes marked in the
/// <see cref="OrderBook"/> are turned into <c>sor</c>/<c>str</c> frames by <see cref="Flush"/> (called at the end of each
/// engine tick and order endpoint), heartbeats on the simulator's clock, and the injected faults.
/// Lock order: a user's gate, then the book's gate, then the hub's, then a connection's.
/// </summary>
public sealed class OrderStreamHub(
    OrderBook book,
    UserStateRegistry users,
    UserDirectory directory,
    SimulatorClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<OrderStreamHub> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, OrderStreamConnection> _connections = [];
    private readonly HashSet<string> _watchedSessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StreamFaults> _faults = new(StringComparer.Ordinal);
    private long _nextId;
    private int _open;
    private ITimer? _dropEvery;
    private TimeSpan? _dropEveryPeriod;

    public StreamSettings Settings => options.Value.Stream;

    public SimulatorClock Clock => clock;

    public StreamStats Stats { get; } = new();

    internal ILogger Logger => logger;

    /// <summary>
    /// Registers a socket for the user's live session <paramref name="sessionId"/> (call while holding the user's gate,
    /// so the session cannot end unseen): when that session ends, the socket closes.
    /// </summary>
    public OrderStreamConnection Open(UserState user, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var connection = new OrderStreamConnection(Interlocked.Increment(ref _nextId), user.UserId, sessionId);
        bool watch;
        lock (_gate)
        {
            _connections[connection.Id] = connection;
            Interlocked.Increment(ref _open);
            watch = _watchedSessions.Add(sessionId);
        }

        if (watch)
            user.WhenNoSession(_ => SessionEnded(user.UserId, sessionId));
        return connection;
    }

    /// <summary>Runs an accepted socket to its end, then forgets it.</summary>
    public async Task RunAsync(OrderStreamConnection connection, WebSocket socket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Stats.Connected();
        StreamLog.Opened(logger, connection.Id, connection.UserId);
        try
        {
            await connection.RunAsync(socket, this, cancellationToken);
        }
        finally
        {
            Forget(connection);
            StreamLog.Closed(logger, connection.Id, connection.UserId);
        }
    }

    /// <summary>Forgets a connection that never ran (the upgrade failed) or has ended.</summary>
    public void Forget(OrderStreamConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_gate)
        {
            if (_connections.Remove(connection.Id))
                Interlocked.Decrement(ref _open);
            connection.Heartbeat?.Dispose();
            connection.Heartbeat = null;
        }
    }

    /// <summary>What a socket gets once the session is confirmed: system success, then the accounts and the auth status.</summary>
    public IEnumerable<OutgoingFrame> Greeting(OrderStreamConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = clock.GetUtcNow();
        yield return new OutgoingFrame(OrderStreamFrames.SystemTopic, OrderStreamFrames.Success(connection.UserId), now);
        yield return new OutgoingFrame(OrderStreamFrames.AccountsTopic, OrderStreamFrames.Accounts(directory.AccountsOf(connection.UserId) ?? []), now);
        yield return new OutgoingFrame(OrderStreamFrames.StatusTopic, OrderStreamFrames.Status(authenticated: true, competing: false, string.Empty), now);
    }

    /// <summary>The success frame went out: heartbeats start, on the simulator's clock.</summary>
    public void Succeeded(OrderStreamConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var interval = Settings.HeartbeatInterval;
        // Created outside the hub's lock (a timer provider may run callbacks under its own lock, and Beat can take ours).
        var timer = clock.CreateTimer(_ => Beat(connection), null, interval, interval);
        lock (_gate)
        {
            // A socket already forgotten (cut while greeting) gets no timer that would outlive it.
            if (_connections.ContainsKey(connection.Id))
            {
                connection.Heartbeat = timer;
                return;
            }
        }

        timer.Dispose();
    }

    /// <summary>A heartbeat, unless the session the socket belongs to has ended meanwhile (idled out): then it closes.</summary>
    private void Beat(OrderStreamConnection connection)
    {
        var user = users.Get(connection.UserId);
        bool alive;
        lock (user.Gate)
        {
            alive = users.LiveSession(user) is { } session && session.Id == connection.SessionId && !user.CompetingElsewhere;
        }

        var now = clock.GetUtcNow();
        if (alive)
            connection.Enqueue(new OutgoingFrame(OrderStreamFrames.SystemTopic, OrderStreamFrames.Heartbeat(now), now));
        else
            connection.Close(WebSocketCloseStatus.NormalClosure, "session ended", now);
    }

    public StreamFaults? FaultsOf(string userId) => _faults.GetValueOrDefault(userId);

    /// <summary>A complete client message: dropped (and counted) before the success frame; else tic or a subscription.</summary>
    public void OnClientMessage(OrderStreamConnection connection, string text)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(text);
        if (!connection.Succeeded)
        {
            Stats.ClientFrameBeforeSuccess();
            return;
        }

        var message = text.Trim();
        var head = message.Length >= 3 ? message[..3] : message;
        var argument = message.Length > 4 && message[3] == '+' ? message[4..] : null;
        switch (head)
        {
            case "tic" when message.Length == 3:
                Stats.ClientMessage(ClientMessageKinds.Tic);
                break;
            case "sor":
                Stats.ClientMessage(ClientMessageKinds.SubscribeOrders);
                SubscribeOrders(connection);
                break;
            case "uor":
                Stats.ClientMessage(ClientMessageKinds.UnsubscribeOrders);
                lock (connection.Gate)
                {
                    connection.OrdersSubscribed = false;
                    connection.Orders.Clear();
                }

                break;
            case "str":
                Stats.ClientMessage(ClientMessageKinds.SubscribeExecutions);
                var (realtimeOnly, days) = ExecutionsRequest(argument);
                SubscribeExecutions(connection, realtimeOnly, days);
                break;
            case "utr":
                Stats.ClientMessage(ClientMessageKinds.UnsubscribeExecutions);
                lock (connection.Gate)
                {
                    connection.ExecutionsSubscribed = false;
                    connection.ExecutionsSent.Clear();
                }

                break;
            default:
                Stats.ClientMessage(ClientMessageKinds.Other);
                break;
        }
    }

    /// <summary>
    /// <c>sor</c> does not replay: the user's existing orders are only remembered, so that their later changes go out as
    /// sparse deltas; orders accepted from now on are sent whole the first time.
    /// </summary>
    private void SubscribeOrders(OrderStreamConnection connection)
    {
        lock (book.Gate)
        {
            lock (connection.Gate)
            {
                if (connection.OrdersSubscribed)
                    return;
                connection.OrdersSubscribed = true;
                // Final orders never change again: only working ones need remembering.
                foreach (var order in book.OrdersOf(connection.UserId).Where(o => !o.IsTerminal))
                    connection.Orders.Seed(order);
            }
        }
    }

    /// <summary>A fresh <c>str</c> subscription replays the executions of the last <paramref name="days"/> days, unless realtime only.</summary>
    private void SubscribeExecutions(OrderStreamConnection connection, bool realtimeOnly, int days)
    {
        var now = clock.GetUtcNow();
        lock (book.Gate)
        {
            lock (connection.Gate)
            {
                if (connection.ExecutionsSubscribed)
                    return;
                connection.ExecutionsSubscribed = true;
                connection.ExecutionsSent.Clear();
                var past = book.OrdersOf(connection.UserId)
                    .SelectMany(o => o.Executions.Select(e => (Order: o, Execution: e)))
                    .OrderBy(x => x.Execution.At)
                    .ToList();
                foreach (var (_, execution) in past)
                    connection.ExecutionsSent.Add(execution.ExecutionId);
                if (!realtimeOnly)
                    EnqueueExecutions(connection, past.Where(x => IbkrRules.IsCoveredByTrades(x.Execution.At, now, days)).ToList(), now);
            }
        }
    }

    private static (bool RealtimeOnly, int Days) ExecutionsRequest(string? argument)
    {
        var realtimeOnly = false;
        var days = IbkrRules.DefaultTradeDays;
        if (string.IsNullOrWhiteSpace(argument))
            return (realtimeOnly, days);
        try
        {
            using var json = JsonDocument.Parse(argument);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (realtimeOnly, days);
            if (root.TryGetProperty("realtimeUpdatesOnly", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False)
                realtimeOnly = r.GetBoolean();
            if (root.TryGetProperty("days", out var d))
            {
                var parsed = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) ? n
                    : d.ValueKind == JsonValueKind.String && int.TryParse(d.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
                    : days;
                days = Math.Clamp(parsed, 1, IbkrRules.MaxTradeDays);
            }
        }
        catch (JsonException)
        {
            // IBKR ignores what it cannot read; so does the simulator (defaults: replay one day).
        }

        return (realtimeOnly, days);
    }

    /// <summary>
    /// Sends what changed since the last flush to the subscribed sockets of the orders' users: one <c>sor</c> frame per
    /// socket holding every changed order (whole the first time, then only changed fields), then the new executions on
    /// <c>str</c>. The frames are queued before the caller's HTTP answer is written, so they may arrive before it (IBKR's race).
    /// </summary>
    public void Flush()
    {
        lock (book.Gate)
        {
            var changed = book.TakeChanged();
            if (changed.Count == 0 || Volatile.Read(ref _open) == 0)
                return;
            OrderStreamConnection[] open;
            lock (_gate)
                open = [.. _connections.Values.Where(c => c.Succeeded)];
            if (open.Length == 0)
                return;
            var now = clock.GetUtcNow();
            foreach (var byUser in changed.GroupBy(o => o.UserId, StringComparer.Ordinal))
            {
                var orders = byUser.ToList();
                foreach (var connection in open.Where(c => string.Equals(c.UserId, byUser.Key, StringComparison.Ordinal)))
                {
                    lock (connection.Gate)
                    {
                        if (connection.OrdersSubscribed)
                        {
                            var stringIds = Settings.StringOrderIdsInDeltas;
                            var elements = orders.Select(o =>
                            {
                                var (fields, whole) = connection.Orders.Delta(o);
                                return (o, fields, stringIds && !whole);
                            }).ToList();
                            connection.Enqueue(new OutgoingFrame(OrderStreamFrames.OrdersTopic, OrderStreamFrames.Orders(elements), now));
                        }

                        if (connection.ExecutionsSubscribed)
                        {
                            var fresh = orders.SelectMany(o => o.Executions.Where(e => connection.ExecutionsSent.Add(e.ExecutionId)).Select(e => (o, e))).ToList();
                            EnqueueExecutions(connection, fresh, now);
                        }
                    }
                }
            }
        }
    }

    private void EnqueueExecutions(OrderStreamConnection connection, IReadOnlyList<(SimOrder Order, SimExecution Execution)> executions, DateTimeOffset now)
    {
        var perFrame = Math.Max(1, Settings.ExecutionsPerFrame);
        for (var i = 0; i < executions.Count; i += perFrame)
        {
            var chunk = executions.Skip(i).Take(perFrame);
            connection.Enqueue(new OutgoingFrame(OrderStreamFrames.ExecutionsTopic, OrderStreamFrames.Executions(chunk), now));
        }
    }

    private OrderStreamConnection[] ConnectionsOf(string? userId)
    {
        lock (_gate)
            return [.. _connections.Values.Where(c => userId is null || string.Equals(c.UserId, userId, StringComparison.Ordinal))];
    }

    private void SessionEnded(string userId, string sessionId)
    {
        lock (_gate)
            _watchedSessions.Remove(sessionId);
        var now = clock.GetUtcNow();
        foreach (var connection in ConnectionsOf(userId).Where(c => c.SessionId == sessionId))
            connection.Close(WebSocketCloseStatus.NormalClosure, "session ended", now);
    }

    /// <summary>The user's session ended (dropped, logged out): its sockets close after what is queued.</summary>
    public void CloseUser(string userId)
    {
        var now = clock.GetUtcNow();
        foreach (var connection in ConnectionsOf(userId))
            connection.Close(WebSocketCloseStatus.NormalClosure, "session ended", now);
    }

    /// <summary>IBKR goes into maintenance: every socket of every user gets a close frame 1001 "going away" after what is queued. Returns how many.</summary>
    public int CloseAll()
    {
        StreamLog.Fault(logger, "*", "maintenance: close every socket (1001)");
        return DropConnections(ConnectionsOf(null), graceful: true);
    }

    /// <summary>Another platform takes the session: <c>sts</c> with authenticated:false, competing:true, then the close.</summary>
    public void Compete(string userId)
    {
        var now = clock.GetUtcNow();
        foreach (var connection in ConnectionsOf(userId))
        {
            connection.Enqueue(new OutgoingFrame(OrderStreamFrames.StatusTopic, OrderStreamFrames.Status(authenticated: false, competing: true, "competing session"), now));
            connection.Close(WebSocketCloseStatus.NormalClosure, "competing session", now);
        }
    }

    /// <summary>Drops the user's sockets: gracefully (close frame 1001) or as a network cut (no close frame). Returns how many.</summary>
    public int Drop(string userId, bool graceful)
    {
        StreamLog.Fault(logger, userId, graceful ? "drop (graceful)" : "drop");
        return DropConnections(ConnectionsOf(userId), graceful);
    }

    private int DropConnections(IReadOnlyList<OrderStreamConnection> connections, bool graceful)
    {
        var now = clock.GetUtcNow();
        foreach (var connection in connections)
        {
            Stats.Dropped();
            if (graceful)
                connection.Close(WebSocketCloseStatus.EndpointUnavailable, "going away", now);
            else
                connection.Abort();
        }

        return connections.Count;
    }

    public void Stall(string userId, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        StreamLog.Fault(logger, userId, "stall " + duration.ToString("c", CultureInfo.InvariantCulture));
        FaultsFor(userId).StallUntil(clock.GetUtcNow() + duration);
    }

    public void Delay(string userId, TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        StreamLog.Fault(logger, userId, "delay " + by.ToString("c", CultureInfo.InvariantCulture));
        FaultsFor(userId).Delay = by;
    }

    public void Duplicate(string userId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(count, 0);
        StreamLog.Fault(logger, userId, "duplicate " + count.ToString(CultureInfo.InvariantCulture));
        FaultsFor(userId).DuplicateNext(count);
    }

    /// <summary>Queues <paramref name="count"/> bad frames on each of the user's sockets. Returns how many sockets got them.</summary>
    public int Garbage(string userId, StreamGarbageKind kind, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(count, 0);
        StreamLog.Fault(logger, userId, "garbage " + kind + " x" + count.ToString(CultureInfo.InvariantCulture));
        var now = clock.GetUtcNow();
        var connections = ConnectionsOf(userId);
        foreach (var connection in connections)
        {
            for (var i = 0; i < count; i++)
                connection.Enqueue(new OutgoingFrame(OrderStreamFrames.GarbageTopic, OrderStreamFrames.Garbage(kind), now));
        }

        return connections.Length;
    }

    /// <summary>Every socket of every user is cut every <paramref name="period"/> of the simulator's clock; null stops it.</summary>
    public void DropEvery(TimeSpan? period)
    {
        if (period is { } p)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, TimeSpan.Zero);
        var timer = period is { } every ? clock.CreateTimer(_ => DropConnections(ConnectionsOf(null), graceful: false), null, every, every) : null;
        ITimer? previous;
        lock (_gate)
        {
            previous = _dropEvery;
            _dropEvery = timer;
            _dropEveryPeriod = period;
        }

        previous?.Dispose();
    }

    public void ClearFaults()
    {
        foreach (var faults in _faults.Values)
            faults.Release();
        _faults.Clear();
        DropEvery(null);
        StreamLog.FaultsCleared(logger);
    }

    /// <summary>No faults, no sockets, no counts.</summary>
    public void Reset()
    {
        ClearFaults();
        foreach (var connection in ConnectionsOf(null))
            connection.Abort();
        lock (_gate)
            _watchedSessions.Clear();
        Stats.Clear();
    }

    public StreamReport Report()
    {
        var now = clock.GetUtcNow();
        var byUser = new SortedDictionary<string, StreamUserReport>(StringComparer.Ordinal);
        foreach (var group in ConnectionsOf(null).GroupBy(c => c.UserId, StringComparer.Ordinal))
        {
            int orders = 0, executions = 0;
            foreach (var connection in group)
            {
                lock (connection.Gate)
                {
                    orders += connection.OrdersSubscribed ? 1 : 0;
                    executions += connection.ExecutionsSubscribed ? 1 : 0;
                }
            }

            var topics = new List<string>();
            if (orders > 0)
                topics.Add(OrderStreamFrames.OrdersTopic);
            if (executions > 0)
                topics.Add(OrderStreamFrames.ExecutionsTopic);
            byUser[group.Key] = new StreamUserReport(group.Count(), group.Count(c => c.Succeeded), orders, executions, topics, FaultsOf(group.Key)?.Report(now));
        }

        foreach (var (userId, faults) in _faults)
        {
            if (!byUser.ContainsKey(userId))
                byUser[userId] = new StreamUserReport(0, 0, 0, 0, [], faults.Report(now));
        }

        TimeSpan? dropEvery;
        lock (_gate)
            dropEvery = _dropEveryPeriod;
        return new StreamReport(
            byUser, Stats.Connects, Stats.Refused, Stats.FramesByTopic, Stats.ClientMessagesByKind, Stats.ClientFramesBeforeSuccess, Stats.Tics,
            Stats.FramesLost, Stats.FramesDuplicated, Stats.Drops, dropEvery);
    }

    private StreamFaults FaultsFor(string userId) => _faults.GetOrAdd(userId, _ => new StreamFaults());
}

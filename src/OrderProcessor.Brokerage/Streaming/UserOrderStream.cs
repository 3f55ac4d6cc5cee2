using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// One followed user's IBKR websocket, owned with the user's session: session ready → lease held → a pacing slot →
/// tickle (the cookie) and token → connect → system success (nothing sent before) → the observer's read → subscribe
/// <c>sor</c> and <c>str</c> → receive. Frames go to the observer through a queue (the receive loop never waits for
/// it); a drop, a stall, garbage, a re-initialised or competing session, or a lost lease ends the socket with a gap,
/// and the loop reopens it (with backoff) when it may.
/// </summary>
internal sealed partial class UserOrderStream : IAsyncDisposable
{
    private const string SubscribeOrders = "sor+{}";
    private const string SubscribeExecutions = "str+{\"realtimeUpdatesOnly\":false,\"days\":1}";

    private readonly OrderStreamContext _context;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<StreamWork> _work = Channel.CreateUnbounded<StreamWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private CancellationTokenSource? _run;
    private long _leaseEpoch;
    private int _pendingBatches;
    private int _state = (int)OrderStreamState.Connecting;
    private HeartbeatWatchdog? _watchdog;
    private DateTimeOffset? _unfollowedAt;
    private Task _loop = Task.CompletedTask;
    private Task _consumer = Task.CompletedTask;

    public UserOrderStream(string userId, long leaseEpoch, OrderStreamContext context)
    {
        UserId = userId;
        _leaseEpoch = leaseEpoch;
        _context = context;
    }

    public string UserId { get; }

    public long LeaseEpoch => Interlocked.Read(ref _leaseEpoch);

    public OrderStreamState State => (OrderStreamState)Volatile.Read(ref _state);

    /// <summary>Since when the processor has nothing live for this user (null while followed).</summary>
    public DateTimeOffset? UnfollowedAt
    {
        get
        {
            lock (_sync)
            {
                return _unfollowedAt;
            }
        }
    }

    /// <summary>The processor has nothing live for this user: the first such moment counts.</summary>
    public void MarkUnfollowed(DateTimeOffset at)
    {
        lock (_sync)
        {
            _unfollowedAt ??= at;
        }
    }

    /// <summary>Time since the current socket's last frame, while streaming.</summary>
    public TimeSpan? HeartbeatAge => State == OrderStreamState.Streaming ? _watchdog?.Age : null;

    public void Start()
    {
        _consumer = Task.Run(ConsumeAsync);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Followed under <paramref name="leaseEpoch"/>: a new epoch closes the socket and reopens it under the new one.</summary>
    public void Follow(long leaseEpoch)
    {
        CancellationTokenSource? restart = null;
        lock (_sync)
        {
            _unfollowedAt = null;
            if (leaseEpoch != _leaseEpoch)
            {
                _leaseEpoch = leaseEpoch;
                restart = _run;
            }
        }

        restart?.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _work.Writer.TryComplete();

        // The observer gets what was queued (the Closed gap last), within reason.
        await _consumer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void SetState(OrderStreamState state) => Volatile.Write(ref _state, (int)state);

    /// <summary>Runs under one lease epoch after another (a new epoch restarts the inner loop) until stopped.</summary>
    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var run = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            long epoch;
            lock (_sync)
            {
                _run = run;
                epoch = _leaseEpoch;
            }

            try
            {
                await RunUnderEpochAsync(epoch, run.Token);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                // A new epoch (loop again) or the end.
            }
            catch (Exception ex)
            {
                // Never expected; a loop that dies would leave the user unfollowed silently.
                LogLoopFailed(_context.Logger, UserId, ex.GetType().Name);
                await DelayAsync(_context.Stream.ReconnectMaxDelay, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                lock (_sync)
                {
                    _run = null;
                }
            }
        }
    }

    private async Task RunUnderEpochAsync(long leaseEpoch, CancellationToken cancellationToken)
    {
        var stream = _context.Stream;
        var backoff = new ReconnectBackoff(stream.ReconnectBaseDelay, stream.ReconnectMaxDelay);
        var watchTick = WatchTick();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_context.Stream.Enabled)
            {
                SetState(OrderStreamState.PollingOnly);
                await DelayAsync(watchTick, cancellationToken);
                continue;
            }

            if (!_context.Authority.MayUse(UserId, _context.Options.Timeouts.Attempt))
            {
                SetState(OrderStreamState.PollingOnly);
                await DelayAsync(watchTick, cancellationToken);
                continue;
            }

            if (_context.Availability?.Check(UserId) is { Available: false })
            {
                // IBKR's maintenance or an outage: no connect attempts (they could only fail), the backoff does not grow;
                // the processor hears of the gap once, and the stream opens again as soon as IBKR is back.
                if (State != OrderStreamState.Paused)
                {
                    SetState(OrderStreamState.Paused);
                    PausedGap(leaseEpoch);
                }

                await DelayAsync(watchTick, cancellationToken);
                continue;
            }

            if (State == OrderStreamState.Paused)
            {
                backoff.Reset();
            }

            if (State != OrderStreamState.Reconnecting)
            {
                SetState(OrderStreamState.Connecting);
            }

            try
            {
                await _context.Sessions.EnsureReadyAsync(UserId, cancellationToken);
            }
            catch (IbkrUnavailableException)
            {
                continue;
            }
            catch (BrokerageException ex)
            {
                // Competing, not entitled, the partner stopped, or the set-up failed: poll, look again later.
                SetState(OrderStreamState.PollingOnly);
                LogNoSession(_context.Logger, UserId, ex.Kind);
                await DelayAsync(ex.Kind is BrokerageFailureKind.NotReady ? backoff.Next() : stream.ReconnectMaxDelay, cancellationToken);
                continue;
            }

            var outcome = await ConnectAndStreamAsync(leaseEpoch, cancellationToken);
            switch (outcome.Next)
            {
                case NextStep.ReopenNow:
                    backoff.Reset();
                    break;
                case NextStep.Backoff:
                    if (outcome.Streamed)
                    {
                        backoff.Reset();
                    }

                    SetState(OrderStreamState.Reconnecting);
                    await DelayAsync(backoff.Next(), cancellationToken);
                    break;
                case NextStep.PollOnly:
                    SetState(OrderStreamState.PollingOnly);
                    await DelayAsync(outcome.Reason == EndReason.LeaseLost ? watchTick : stream.ReconnectMaxDelay, cancellationToken);
                    break;
                case NextStep.RecoverSession:
                    SetState(OrderStreamState.Reconnecting);
                    await RecoverSessionAsync(outcome, cancellationToken);
                    break;
            }
        }
    }

    private async Task RecoverSessionAsync(ConnectionOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await _context.Sessions.StreamReportedSessionLostAsync(UserId, outcome.SessionEpoch, outcome.Reason == EndReason.Competing, cancellationToken);
        }
        catch (BrokerageException ex)
        {
            SetState(OrderStreamState.PollingOnly);
            LogNoSession(_context.Logger, UserId, ex.Kind);
            await DelayAsync(_context.Stream.ReconnectMaxDelay, cancellationToken);
        }
    }

    /// <summary>One socket from the tickle to its end.</summary>
    private async Task<ConnectionOutcome> ConnectAndStreamAsync(long leaseEpoch, CancellationToken cancellationToken)
    {
        var (_, sessionEpoch) = _context.Sessions.StateAndEpochOf(UserId);
        WebSocket socket;
        try
        {
            var cookie = await _context.Sessions.TickleForStreamAsync(UserId, cancellationToken);
            if (cookie is null)
            {
                _context.Metrics.StreamConnect("failed");
                return new(EndReason.Dropped, NextStep.Backoff, sessionEpoch, Streamed: false);
            }

            socket = await OpenAsync(cookie, cancellationToken);
        }
        catch (BrokerageException ex)
        {
            _context.Metrics.StreamConnect("failed");
            LogConnectFailed(_context.Logger, UserId, ex.Kind.ToString());
            var next = ex.Kind is BrokerageFailureKind.SessionNotHeld ? NextStep.PollOnly : NextStep.Backoff;
            return new(ex.Kind is BrokerageFailureKind.SessionNotHeld ? EndReason.LeaseLost : EndReason.Dropped, next, sessionEpoch, Streamed: false);
        }
        catch (WebSocketUpgradeRefusedException ex)
        {
            _context.Metrics.StreamConnect("refused");
            LogUpgradeRefused(_context.Logger, UserId, ex.StatusCode);

            // Not served at all (a gateway without the socket): poll, and look again only now and then.
            return new(EndReason.Dropped, ex.StatusCode is 404 or 501 ? NextStep.PollOnly : NextStep.Backoff, sessionEpoch, Streamed: false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _context.Metrics.StreamConnect("failed");
            LogConnectFailed(_context.Logger, UserId, ex.GetType().Name);
            return new(EndReason.Dropped, NextStep.Backoff, sessionEpoch, Streamed: false);
        }

        _context.Metrics.StreamConnect("opened");
        using (socket)
        {
            return await StreamAsync(socket, leaseEpoch, sessionEpoch, cancellationToken);
        }
    }

    /// <summary>A pacing slot for the upgrade (the user's and the egress IP's windows, like any IBKR request), then the token, then connect.</summary>
    private async Task<WebSocket> OpenAsync(string cookie, CancellationToken cancellationToken)
    {
        var options = _context.Options;
        var rules = _context.Rules.RulesFor(IbkrEndpointCatalog.Unknown, UserId);
        var giveUpAt = _context.Pacing.Deadline(options.Timeouts.PacingWait);
        PacingGrant grant;
        while (true)
        {
            if (!await _context.Pacing.WaitForRoomAsync(rules, giveUpAt, cancellationToken))
            {
                throw new BrokerageException(BrokerageFailureKind.Paced, "No pacing slot for the websocket upgrade; nothing was sent.", UserId);
            }

            // Taken inside the user's shared gate, like a read: the upgrade never lands inside a place → reply sequence.
            using (await _context.Gates.EnterSharedAsync(UserId, cancellationToken))
            {
                if (_context.Pacing.TryTake(rules) is { } taken)
                {
                    grant = taken;
                    break;
                }
            }
        }

        try
        {
            var token = await _context.Tokens.GetForSendAsync(UserId, cancellationToken);
            if (!_context.Authority.MayUse(UserId, options.Timeouts.Attempt))
            {
                throw new BrokerageException(BrokerageFailureKind.SessionNotHeld,
                    $"This instance no longer holds user {UserId}'s IBKR session; the websocket was not opened.", UserId);
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(options.Timeouts.Attempt);
            try
            {
                var socket = await _context.Connector.ConnectAsync(StreamUri(options.Ibkr.BaseUrl!, token.Value), cookie, attempt.Token);
                _context.Pacing.ReportAnswered(rules, grant);
                return socket;
            }
            catch (WebSocketUpgradeRefusedException refused)
            {
                if (refused.StatusCode == 429)
                {
                    _context.Pacing.ReportTooManyRequests(rules, grant);
                }
                else
                {
                    _context.Pacing.ReportAnswered(rules, grant);
                }

                if (refused.StatusCode == 401)
                {
                    // The next connect asks for a fresh token (one refresh for a burst, as for REST).
                    _context.Tokens.Invalidate(UserId, token);
                }

                throw;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("The websocket upgrade took longer than Brokerage__Timeouts__Attempt.");
            }
        }
        catch (Exception ex) when (ex is not WebSocketUpgradeRefusedException)
        {
            _context.Pacing.ReportNoAnswer(rules, grant);
            throw;
        }
    }

    /// <summary>The socket address: the IBKR base URL's <c>/ws</c>, the bearer token in the query (OAuth 2.0). Never logged.</summary>
    internal static Uri StreamUri(Uri ibkrBaseUrl, string token)
    {
        var builder = new UriBuilder(ibkrBaseUrl)
        {
            Scheme = ibkrBaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "bearer_token=" + Uri.EscapeDataString(token),
        };
        builder.Path = builder.Path.TrimEnd('/') + "/ws";
        if (builder.Uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri;
    }

    private async Task<ConnectionOutcome> StreamAsync(WebSocket socket, long leaseEpoch, int sessionEpoch, CancellationToken cancellationToken)
    {
        var stream = _context.Stream;
        var connectionId = _context.NextConnectionId();
        var connection = new OpenConnection(socket, connectionId, leaseEpoch, sessionEpoch,
            new HeartbeatWatchdog(_context.Time, stream.HeartbeatTimeout), new TicSender(_context.Time, stream.TicInterval));
        _watchdog = connection.Watchdog;
        LogOpened(_context.Logger, UserId, connectionId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receive = Task.Run(() => ReceiveAsync(connection, linked.Token), CancellationToken.None);
        var watch = Task.Run(() => WatchAsync(connection, linked.Token), CancellationToken.None);
        var streamed = false;
        try
        {
            var success = await Task.WhenAny(connection.Gate.Opened, connection.End.Reason, Task.Delay(stream.SuccessTimeout, _context.Time, linked.Token));
            if (!connection.End.IsSet && !connection.Gate.IsOpen)
            {
                connection.End.TrySet(success.IsCanceled ? EndReason.Stopped : EndReason.HeartbeatMissed);
            }

            if (!connection.End.IsSet)
            {
                // sor does not replay: the processor reads the live orders first (IBKR's advice), in order with the
                // previous socket's frames still queued.
                var before = new BeforeSubscribeWork(leaseEpoch, linked.Token);
                _work.Writer.TryWrite(before);
                await Task.WhenAny(before.Done.Task, connection.End.Reason);
            }

            if (!connection.End.IsSet)
            {
                await connection.SendAsync(SubscribeOrders, linked.Token);
                await connection.SendAsync(SubscribeExecutions, linked.Token);
                connection.Subscribed = true;
                SetState(OrderStreamState.Streaming);
                streamed = true;
                Gap(connection, StreamGapCause.Subscribed);
                LogSubscribed(_context.Logger, UserId, connectionId);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            connection.End.TrySet(cancellationToken.IsCancellationRequested ? EndReason.Stopped : EndReason.Dropped);
        }

        try
        {
            await connection.End.Reason.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            connection.End.TrySet(EndReason.Stopped);
        }

        var end = await connection.End.Reason;
        if (end is (EndReason.Dropped or EndReason.HeartbeatMissed) && SessionMovedOn(connection))
        {
            // IBKR closes the sockets of a session being replaced: the drop is the re-initialisation.
            end = EndReason.SessionReinitialised;
        }

        await linked.CancelAsync();
        socket.Abort();
        await Task.WhenAll(receive, watch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _watchdog = null;
        if (end != EndReason.Stopped)
        {
            SetState(end is EndReason.LeaseLost ? OrderStreamState.PollingOnly : OrderStreamState.Reconnecting);
        }

        Gap(connection, end.GapOf());
        LogEnded(_context.Logger, UserId, connectionId, end);
        if (end == EndReason.Stopped)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var next = end switch
        {
            EndReason.LeaseLost => NextStep.PollOnly,
            EndReason.SessionReinitialised => NextStep.ReopenNow,
            EndReason.SessionLost or EndReason.Competing => NextStep.RecoverSession,
            _ => NextStep.Backoff,
        };
        return new(end, next, sessionEpoch, streamed);
    }

    private async Task ReceiveAsync(OpenConnection connection, CancellationToken cancellationToken)
    {
        var stream = _context.Stream;
        using var reader = new StreamFrameReader(connection.Socket, stream.MaxMessageBytes);
        var malformed = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await reader.ReadAsync(cancellationToken);
                if (message is null)
                {
                    connection.End.TrySet(EndReason.Dropped);
                    return;
                }

                var receivedAt = _context.Time.GetUtcNow();
                connection.Watchdog.FrameSeen();
                var frame = StreamFrameParser.Parse(message.Value.Span);
                _context.Metrics.StreamFrame(frame.TopicTag);
                connection.Gate.Observe(frame);
                switch (frame)
                {
                    case MalformedFrame bad:
                        LogMalformed(_context.Logger, UserId, connection.Id, bad.Reason);
                        Gap(connection, StreamGapCause.Malformed);
                        if (++malformed >= stream.MalformedBeforeReconnect)
                        {
                            connection.End.TrySet(EndReason.Malformed);
                            return;
                        }

                        break;
                    case OrdersFrame orders:
                        Deliver(connection, receivedAt, orders.Orders, [], orders.BadElements);
                        break;
                    case ExecutionsFrame executions:
                        Deliver(connection, receivedAt, [], executions.Executions, executions.BadElements);
                        break;
                    case StatusFrame { Competing: true }:
                        LogStatus(_context.Logger, UserId, connection.Id, "competing");
                        connection.End.TrySet(EndReason.Competing);
                        return;
                    case StatusFrame { Authenticated: false }:
                        LogStatus(_context.Logger, UserId, connection.Id, "not authenticated");
                        connection.End.TrySet(EndReason.SessionLost);
                        return;
                }
            }
        }
        catch (StreamMessageTooLargeException)
        {
            _context.Metrics.StreamFrame("malformed");
            LogMalformed(_context.Logger, UserId, connection.Id, "message too large");
            connection.End.TrySet(EndReason.Malformed);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            connection.End.TrySet(cancellationToken.IsCancellationRequested ? EndReason.Stopped : EndReason.Dropped);
        }
    }

    private void Deliver(OpenConnection connection, DateTimeOffset receivedAt, IReadOnlyList<LiveOrder> orders, IReadOnlyList<Trade> executions, int badElements)
    {
        if (orders.Count > 0 || executions.Count > 0)
        {
            if (Interlocked.Increment(ref _pendingBatches) > _context.Stream.ObserverQueueCapacity)
            {
                Interlocked.Decrement(ref _pendingBatches);
                LogOverflow(_context.Logger, UserId, connection.Id);
                connection.End.TrySet(EndReason.Overflow);
                return;
            }

            _work.Writer.TryWrite(new BatchWork(new OrderStreamBatch(UserId, connection.LeaseEpoch, connection.Id, receivedAt, orders, executions)));
        }

        if (badElements > 0)
        {
            LogMalformed(_context.Logger, UserId, connection.Id, $"{badElements} unreadable element(s)");
            Gap(connection, StreamGapCause.Malformed);
        }
    }

    /// <summary>
    /// Every tick: the lease (fencing: the socket is aborted the moment it is not proven), the session (a new epoch or
    /// a session not ready ends the socket), the heartbeat, and the client's tic.
    /// </summary>
    private async Task WatchAsync(OpenConnection connection, CancellationToken cancellationToken)
    {
        var tick = WatchTick();
        try
        {
            while (!connection.End.IsSet)
            {
                await DelayAsync(tick, cancellationToken);
                if (!_context.Authority.MayUse(UserId, _context.Options.Timeouts.Attempt))
                {
                    LogLeaseLost(_context.Logger, UserId, connection.Id);
                    connection.End.TrySet(EndReason.LeaseLost);
                    connection.Socket.Abort();
                    return;
                }

                if (SessionMovedOn(connection))
                {
                    connection.End.TrySet(EndReason.SessionReinitialised);
                    return;
                }

                if (connection.Watchdog.IsStale)
                {
                    LogStalled(_context.Logger, UserId, connection.Id, connection.Watchdog.Age.TotalSeconds);
                    connection.End.TrySet(EndReason.HeartbeatMissed);
                    return;
                }

                if (connection.Gate.IsOpen && connection.Tic.IsDue)
                {
                    await connection.SendAsync(TicSender.Message, cancellationToken);
                    connection.Tic.MarkSent();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            connection.End.TrySet(cancellationToken.IsCancellationRequested ? EndReason.Stopped : EndReason.Dropped);
        }
    }

    /// <summary>The session the socket was opened under is being or has been replaced (a new epoch, or a set-up under way).</summary>
    private bool SessionMovedOn(OpenConnection connection)
    {
        var (state, epoch) = _context.Sessions.StateAndEpochOf(UserId);
        return epoch != connection.SessionEpoch || state != BrokerageSessionState.Ready;
    }

    /// <summary>The stream paused for IBKR's maintenance: a gap without a connection (whatever socket there was is gone).</summary>
    private void PausedGap(long leaseEpoch)
    {
        _context.Metrics.StreamGap(StreamGapCause.Maintenance);
        _work.Writer.TryWrite(new GapWork(new StreamGap(UserId, leaseEpoch, 0, StreamGapCause.Maintenance, _context.Time.GetUtcNow())));
    }

    private void Gap(OpenConnection connection, StreamGapCause cause)
    {
        _context.Metrics.StreamGap(cause);
        _work.Writer.TryWrite(new GapWork(new StreamGap(UserId, connection.LeaseEpoch, connection.Id, cause, _context.Time.GetUtcNow())));
    }

    /// <summary>Hands the queued work to the observer one item at a time; its failures are logged and counted, never fatal.</summary>
    private async Task ConsumeAsync()
    {
        var observer = _context.Observer;
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            try
            {
                switch (work)
                {
                    case BatchWork batch:
                        Interlocked.Decrement(ref _pendingBatches);
                        await observer.OnBatchAsync(batch.Batch, _stop.Token);
                        break;
                    case GapWork gap:
                        observer.OnGap(gap.Gap);
                        break;
                    case BeforeSubscribeWork before:
                        try
                        {
                            await observer.BeforeSubscribeAsync(UserId, before.LeaseEpoch, before.CancellationToken);
                        }
                        finally
                        {
                            before.Done.TrySetResult();
                        }

                        break;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Shutting down: the rest is dropped; a restart reconciles.
            }
            catch (Exception ex)
            {
                _context.Metrics.StreamObserverFailed();
                LogObserverFailed(_context.Logger, UserId, work.GetType().Name, ex);
            }
        }
    }

    private TimeSpan WatchTick()
    {
        var stream = _context.Stream;
        var tick = TimeSpan.FromSeconds(1);
        var quarter = stream.HeartbeatTimeout / 4;
        return quarter < tick ? quarter : tick;
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _context.Time, cancellationToken);

    private enum NextStep
    {
        Backoff,
        ReopenNow,
        PollOnly,
        RecoverSession,
    }

    private sealed record ConnectionOutcome(EndReason Reason, NextStep Next, int SessionEpoch, bool Streamed);

    /// <summary>One open socket's state, shared by the receive loop, the watchdog and the subscribing flow.</summary>
    private sealed class OpenConnection(WebSocket socket, long id, long leaseEpoch, int sessionEpoch, HeartbeatWatchdog watchdog, TicSender tic)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket => socket;

        public long Id => id;

        public long LeaseEpoch => leaseEpoch;

        public int SessionEpoch => sessionEpoch;

        public HeartbeatWatchdog Watchdog => watchdog;

        public TicSender Tic => tic;

        public SystemSuccessGate Gate { get; } = new();

        public ConnectionEnd End { get; } = new();

        public bool Subscribed { get; set; }

        /// <summary>One text message at a time, and none before the success frame.</summary>
        public async Task SendAsync(string text, CancellationToken cancellationToken)
        {
            Gate.EnsureOpen();
            await _send.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _send.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream of user {UserId} opened (connection {ConnectionId})")]
    private static partial void LogOpened(ILogger logger, string userId, long connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream of user {UserId} subscribed to sor and str (connection {ConnectionId})")]
    private static partial void LogSubscribed(ILogger logger, string userId, long connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream of user {UserId} ended: {Reason} (connection {ConnectionId})")]
    private static partial void LogEnded(ILogger logger, string userId, long connectionId, EndReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId} could not connect ({Failure}); polling meanwhile")]
    private static partial void LogConnectFailed(ILogger logger, string userId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream upgrade of user {UserId} answered {StatusCode}; polling meanwhile")]
    private static partial void LogUpgradeRefused(ILogger logger, string userId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId} has no ready session ({Kind}); polling meanwhile")]
    private static partial void LogNoSession(ILogger logger, string userId, BrokerageFailureKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId} received garbage: {Reason} (connection {ConnectionId})")]
    private static partial void LogMalformed(ILogger logger, string userId, long connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId}: IBKR reports the session {Status} (connection {ConnectionId})")]
    private static partial void LogStatus(ILogger logger, string userId, long connectionId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId} stalled: no frame for {AgeSeconds:0.0} s (connection {ConnectionId})")]
    private static partial void LogStalled(ILogger logger, string userId, long connectionId, double ageSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId} aborted: this instance no longer holds the user's lease (connection {ConnectionId})")]
    private static partial void LogLeaseLost(ILogger logger, string userId, long connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order stream of user {UserId}: the processor fell behind; reopening (connection {ConnectionId})")]
    private static partial void LogOverflow(ILogger logger, string userId, long connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order stream observer failed on {Work} for user {UserId}")]
    private static partial void LogObserverFailed(ILogger logger, string userId, string work, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order stream loop of user {UserId} failed unexpectedly ({Failure}); restarting")]
    private static partial void LogLoopFailed(ILogger logger, string userId, string failure);
}

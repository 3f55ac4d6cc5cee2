using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Accounts;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Ibkr.Session;
using OrderProcessor.Brokerage.PiTrade;
using Refit;

namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// Brokerage sessions per user: ssodh/init → suppress the allow-listed questions → GET /iserver/accounts before the
/// first trading call; re-init only after 401 / authenticated:false, one re-init for a burst; keep-alive tickles.
/// </summary>
internal sealed partial class BrokerageSessionManager : IBrokerageSessionMonitor
{
    private readonly ConcurrentDictionary<string, UserSession> _sessions = new(StringComparer.Ordinal);
    private readonly ISessionApi _sessionApi;
    private readonly IAccountsApi _accountsApi;
    private readonly IQuestionsApi _questionsApi;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<BrokerageSessionManager> _logger;
    private readonly BrokerageMetrics _metrics;
    private readonly IUserSessionAuthority _authority;
    private readonly UserCallGates _gates;
    private readonly PartnerStatus? _partner;
    private readonly IIbkrAvailability? _availability;

    public BrokerageSessionManager(
        ISessionApi sessionApi,
        IAccountsApi accountsApi,
        IQuestionsApi questionsApi,
        TimeProvider time,
        IOptionsMonitor<BrokerageOptions> options,
        BrokerageMetrics metrics,
        IUserSessionAuthority authority,
        UserCallGates gates,
        ILogger<BrokerageSessionManager> logger,
        PartnerStatus? partner = null,
        IIbkrAvailability? availability = null)
    {
        _partner = partner;
        _availability = availability;
        _gates = gates;
        _metrics = metrics;
        _authority = authority;
        _sessionApi = sessionApi;
        _accountsApi = accountsApi;
        _questionsApi = questionsApi;
        _time = time;
        _options = options;
        _logger = logger;
        _metrics.ObserveSessions(() => GetSessions().Select(static s => s.State));
    }

    public IReadOnlyList<UserSessionSnapshot> GetSessions() =>
        [.. _sessions.Values.Select(static session => { lock (session.Sync) { return session.Snapshot(); } })];

    public (string Reason, DateTimeOffset Since)? PartnerStop => _partner?.Stop;

    public UserSessionSnapshot? GetSession(string userId)
    {
        if (!_sessions.TryGetValue(userId, out var session))
        {
            return null;
        }

        lock (session.Sync)
        {
            return session.Snapshot();
        }
    }

    public int EpochOf(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            return session.Epoch;
        }
    }

    /// <summary>Returns once the user has a ready session, initialising it (once, however many callers) if needed.</summary>
    public async Task EnsureReadyAsync(string userId, CancellationToken cancellationToken)
    {
        ThrowIfUnavailable(userId);
        var session = SessionOf(userId);
        Task initialisation;
        lock (session.Sync)
        {
            if (session.State == BrokerageSessionState.Ready)
            {
                return;
            }

            initialisation = session.Initialisation ??= StartSetup(session, InitialiseAsync);
            LendGateIfHeld(session);
        }

        await WaitForSetupAsync(session, initialisation, cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="IbkrUnavailableException"/> before anything is sent while IBKR is unavailable for the user (its
    /// region's maintenance window, or an outage detected): no init, no call, no retry or circuit charged. The session is
    /// marked <see cref="BrokerageSessionState.Paused"/> (IBKR ends sessions in maintenance; the next call after it opens one).
    /// </summary>
    public void ThrowIfUnavailable(string userId, string? endpoint = null)
    {
        if (_availability?.Check(userId) is not { Available: false } availability)
        {
            return;
        }

        Pause(userId);
        throw Unavailable(userId, availability, endpoint);
    }

    /// <summary>The failure of a call not sent because IBKR is unavailable for the user.</summary>
    public static IbkrUnavailableException Unavailable(string userId, Availability.Availability availability, string? endpoint)
    {
        ArgumentNullException.ThrowIfNull(availability);
        var until = availability.ExpectedUntil is { } end ? $"; expected back at {end:u}" : "; waiting for IBKR to answer connected again";
        return new IbkrUnavailableException(userId, availability.Cause, availability.Region, availability.ExpectedUntil,
            $"IBKR is unavailable for user {userId}: {availability.Reason}{until}. Nothing was sent.", endpoint);
    }

    /// <summary>
    /// One availability probe of the user (<c>POST /iserver/auth/status</c>, paced like any call, outside the user's
    /// retries): <c>connected:true</c> says IBKR is back (a session it no longer knows is opened again by the next call).
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(string userId, CancellationToken cancellationToken)
    {
        var session = SessionOf(userId);
        try
        {
            var (response, signal) = await IbkrCall.SendAsync(
                ct => _sessionApi.GetStatusAsync(userId, ct), IbkrEndpointCatalog.SessionStatus, userId, null, cancellationToken);
            using (response)
            {
                var status = response.Content;
                if (signal != ResponseSignal.Ok || status?.Connected is not { } connected)
                {
                    return ProbeResult.Inconclusive;
                }

                if (!connected)
                {
                    return ProbeResult.Disconnected;
                }

                lock (session.Sync)
                {
                    if (session.State == BrokerageSessionState.Paused && session.Initialisation is null)
                    {
                        session.State = status.Authenticated == true ? BrokerageSessionState.Ready : BrokerageSessionState.Lost;
                        session.NextTickleDue = _time.GetUtcNow();
                    }
                }

                return ProbeResult.Connected;
            }
        }
        catch (BrokerageException ex) when (ex.Kind == BrokerageFailureKind.SessionNotHeld)
        {
            return ProbeResult.NotMine;
        }
        catch (BrokerageException)
        {
            return ProbeResult.Inconclusive;
        }
    }

    /// <summary>Whether IBKR's availability is tracked; when not, answers with <c>connected:false</c> are handled as before.</summary>
    private bool Tracking => (_availability as IOutageReports)?.Tracking == true;

    private void Pause(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            if (session.Initialisation is null && session.State is BrokerageSessionState.Ready or BrokerageSessionState.Lost or BrokerageSessionState.Failed)
            {
                session.State = BrokerageSessionState.Paused;
            }
        }
    }

    /// <summary>An answer with <c>connected:false</c>: IBKR's back-end is not there for the user.</summary>
    private void ReportDisconnected(string userId)
    {
        (_availability as IOutageReports)?.ReportOutageAnswer(userId, OutageAnswer.Disconnected);
    }

    /// <summary>
    /// Called after a call saw the session gone while the session was at <paramref name="observedEpoch"/>. Only the first
    /// such caller re-initialises; the others wait for that re-init (or see it already done).
    /// </summary>
    public async Task RecoverAsync(string userId, int observedEpoch, CancellationToken cancellationToken)
    {
        var session = SessionOf(userId);
        Task initialisation;
        lock (session.Sync)
        {
            if (session.Initialisation is null)
            {
                if (session.Epoch != observedEpoch && session.State == BrokerageSessionState.Ready)
                {
                    return;
                }

                // A flow without the user's gate (a tickle, a read) leaves the session Ready until its re-init has the
                // gate: a place → reply under way finishes first.
                if (session.State != BrokerageSessionState.Competing && UserCallGates.HoldsExclusive(userId))
                {
                    session.State = BrokerageSessionState.Lost;
                }

                LogSessionLost(_logger, userId);
                session.Initialisation = StartSetup(session, InitialiseAsync);
            }

            initialisation = session.Initialisation;
            LendGateIfHeld(session);
        }

        await WaitForSetupAsync(session, initialisation, cancellationToken);
    }

    /// <summary>After "Please query /accounts first": redo the accounts warm-up, once for a burst.</summary>
    public async Task WarmAccountsAsync(string userId, int observedEpoch, CancellationToken cancellationToken)
    {
        var session = SessionOf(userId);
        Task warmUp;
        lock (session.Sync)
        {
            if (session.Initialisation is null)
            {
                if (session.Epoch != observedEpoch)
                {
                    return;
                }

                session.Initialisation = StartSetup(session, WarmUpAccountsAsync);
            }

            warmUp = session.Initialisation;
            LendGateIfHeld(session);
        }

        await WaitForSetupAsync(session, warmUp, cancellationToken);
    }

    /// <summary>After POST /logout: the next call opens a new session.</summary>
    public void MarkLoggedOut(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            if (session.Initialisation is null)
            {
                session.State = BrokerageSessionState.NotStarted;
                session.ReadySince = null;
            }
        }
    }

    public void RecordActivity(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            session.LastActivity = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Records a read of the user's live orders; false for the first read of the current session, whose answer IBKR
    /// may give empty (it must be read again before anyone relies on it).
    /// </summary>
    public bool RecordLiveOrdersRead(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            var seenBefore = session.LiveOrdersReadInEpoch == session.Epoch;
            session.LiveOrdersReadInEpoch = session.Epoch;
            return seenBefore;
        }
    }

    public void RecordLiveOrders(string userId, bool hasLiveOrders)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            session.HasLiveOrders = hasLiveOrders;
        }
    }

    /// <summary>
    /// Users whose ready session is due a tickle (live orders or recent activity, and the tickle period passed); each
    /// returned user is marked in flight until <see cref="TickleAsync"/> for it ends.
    /// </summary>
    public IReadOnlyList<string> UsersDueForTickle()
    {
        var now = _time.GetUtcNow();
        var idleAfter = _options.CurrentValue.Session.IdleAfter;
        var due = new List<string>();
        foreach (var session in _sessions.Values)
        {
            lock (session.Sync)
            {
                var active = session.HasLiveOrders || (session.LastActivity is { } last && now - last < idleAfter);

                // A session this process no longer holds is not kept alive: its new holder has one of its own.
                if (session.State == BrokerageSessionState.Ready && session.Initialisation is null && active && _authority.MayUse(session.UserId, TimeSpan.Zero)
                    && !session.TickleInFlight && now >= session.NextTickleDue)
                {
                    // IBKR unavailable for the user: no tickle (nor the re-init a dead answer would start); the probe
                    // loop finds out when it is back.
                    if (_availability?.Check(session.UserId) is { Available: false })
                    {
                        session.State = BrokerageSessionState.Paused;
                        continue;
                    }

                    session.TickleInFlight = true;
                    due.Add(session.UserId);
                }
            }
        }

        return due;
    }

    /// <summary>One keep-alive. A dead session (401 / authenticated:false) is re-initialised; a failure tickles again sooner.</summary>
    public async Task TickleAsync(string userId, CancellationToken cancellationToken)
    {
        var session = SessionOf(userId);
        var options = _options.CurrentValue.Session;
        var epoch = EpochOf(userId);
        try
        {
            var (response, signal) = await IbkrCall.SendAsync(
                ct => _sessionApi.TickleAsync(userId, ct), IbkrEndpointCatalog.Tickle, userId, null, cancellationToken);
            using (response)
            {
                var status = response.Content?.AuthStatus;
                if (signal == ResponseSignal.Ok && status?.Connected == false && Tracking)
                {
                    // No brokerage back-end (IBKR's reset or maintenance): re-initialising cannot help; pause.
                    ReportDisconnected(userId);
                    Pause(userId);
                    return;
                }

                if (signal == ResponseSignal.SessionLost || (signal == ResponseSignal.Ok && status?.Authenticated == false))
                {
                    if (status?.Competing == true)
                    {
                        MarkCompeting(session, "tickle reports a competing session");
                    }

                    await RecoverAsync(userId, epoch, cancellationToken);
                    return;
                }

                ReportOutcome(userId, response, signal);

                lock (session.Sync)
                {
                    var now = _time.GetUtcNow();
                    if (signal == ResponseSignal.Ok)
                    {
                        session.LastTickle = now;
                        session.NextTickleDue = now + options.TickleInterval;
                        session.StreamCookie = response.Content?.Session ?? session.StreamCookie;
                    }
                    else
                    {
                        session.NextTickleDue = now + options.TickleRetryInterval;
                    }
                }
            }
        }
        catch (BrokerageException ex)
        {
            LogTickleFailed(_logger, userId, ex.Kind);
            lock (session.Sync)
            {
                session.NextTickleDue = _time.GetUtcNow() + options.TickleRetryInterval;
            }
        }
        finally
        {
            lock (session.Sync)
            {
                session.TickleInFlight = false;
            }
        }
    }

    /// <summary>The user's session state and epoch, as one reading (the websocket watches both while it streams).</summary>
    public (BrokerageSessionState State, int Epoch) StateAndEpochOf(string userId)
    {
        var session = SessionOf(userId);
        lock (session.Sync)
        {
            return (session.Initialisation is null ? session.State : BrokerageSessionState.Initialising, session.Epoch);
        }
    }

    /// <summary>
    /// Tickles the user's session now and returns the <c>session</c> value of the answer, the websocket's <c>api</c>
    /// cookie (IBKR's public clients tickle right before each connect). Null when the answer had none or the session
    /// is gone; a session reported gone (401 / authenticated:false) takes the recovery path of any call.
    /// </summary>
    public async Task<string?> TickleForStreamAsync(string userId, CancellationToken cancellationToken)
    {
        var session = SessionOf(userId);
        var epoch = EpochOf(userId);
        var (response, signal) = await IbkrCall.SendAsync(
            ct => _sessionApi.TickleAsync(userId, ct), IbkrEndpointCatalog.Tickle, userId, null, cancellationToken);
        using (response)
        {
            var status = response.Content?.AuthStatus;
            if (signal == ResponseSignal.Ok && status?.Connected == false && Tracking)
            {
                ReportDisconnected(userId);
                Pause(userId);
                ThrowIfUnavailable(userId, IbkrEndpointCatalog.Tickle.Name);
                return null;
            }

            if (signal == ResponseSignal.SessionLost || (signal == ResponseSignal.Ok && status?.Authenticated == false))
            {
                if (status?.Competing == true)
                {
                    MarkCompeting(session, "tickle reports a competing session");
                }

                await RecoverAsync(userId, epoch, cancellationToken);
                return null;
            }

            ReportOutcome(userId, response, signal);

            if (signal != ResponseSignal.Ok)
            {
                return null;
            }

            lock (session.Sync)
            {
                session.LastTickle = _time.GetUtcNow();
                session.StreamCookie = response.Content?.Session ?? session.StreamCookie;
                return session.StreamCookie;
            }
        }
    }

    /// <summary>
    /// IBKR said on the websocket (<c>sts</c>) that the session is not authenticated, or competing: handled as the same
    /// signal on a REST answer (competing is recorded, then the session is re-initialised once for the burst).
    /// </summary>
    public Task StreamReportedSessionLostAsync(string userId, int observedEpoch, bool competing, CancellationToken cancellationToken)
    {
        if (competing)
        {
            MarkCompeting(SessionOf(userId), "the websocket (sts) reports a competing session");
        }

        return RecoverAsync(userId, observedEpoch, cancellationToken);
    }

    /// <summary>Users in memory; for the pruning figures.</summary>
    public int Count => _sessions.Count;

    /// <summary>
    /// Users with nothing live (no live orders, no set-up or tickle under way) whose last activity is older than
    /// <paramref name="cutoff"/>.
    /// </summary>
    public IReadOnlyList<string> IdleSince(DateTimeOffset cutoff)
    {
        var idle = new List<string>();
        foreach (var session in _sessions.Values)
        {
            lock (session.Sync)
            {
                if (IsIdle(session, cutoff))
                {
                    idle.Add(session.UserId);
                }
            }
        }

        return idle;
    }

    /// <summary>Forgets the user's session if it is still idle since <paramref name="cutoff"/>; the next call opens a new one.</summary>
    public bool TryForget(string userId, DateTimeOffset cutoff)
    {
        if (!_sessions.TryGetValue(userId, out var session))
        {
            return false;
        }

        lock (session.Sync)
        {
            return IsIdle(session, cutoff) && _sessions.TryRemove(new KeyValuePair<string, UserSession>(userId, session));
        }
    }

    private static bool IsIdle(UserSession session, DateTimeOffset cutoff) =>
        !session.HasLiveOrders && session.Initialisation is null && !session.TickleInFlight
        && (session.LastActivity ?? session.CreatedAt) < cutoff;

    private UserSession SessionOf(string userId) =>
        _sessions.GetOrAdd(userId, static (id, now) => new UserSession(id, now), _time.GetUtcNow());

    /// <summary>
    /// Starts a set-up (init or warm-up) of the user; the caller holds <c>session.Sync</c>. Its calls run as the holder
    /// of the user's gate: a flow that holds it already (an order sequence) lends it; any other (a tickle, a poll, a read)
    /// first waits for the gate, so that a set-up never lands between an order's place and its reply.
    /// </summary>
    private Task StartSetup(UserSession session, Func<UserSession, Task> setup)
    {
        var handoff = UserCallGates.HoldsExclusive(session.UserId) ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        session.GateHandoff = handoff;
        return RunSetupAsync(session, handoff, setup);
    }

    /// <summary>
    /// Waits for a set-up. A caller holding the user's gate exclusively has lent the set-up its hold (or the set-up runs
    /// under it): it must not let the gate go while the set-up still runs, or the user's next order sequence would
    /// interleave with the set-up's calls (IBKR drops a pending question at any other request). Such a caller waits for
    /// the set-up to end whatever its own cancellation (the set-up's calls are bounded by their own timeouts), then honours it.
    /// </summary>
    private static async Task WaitForSetupAsync(UserSession session, Task setup, CancellationToken cancellationToken)
    {
        if (!UserCallGates.HoldsExclusive(session.UserId))
        {
            await setup.WaitAsync(cancellationToken);
            return;
        }

        await setup;
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>A gate holder about to wait for a set-up that waits for the gate lends the set-up its hold (no deadlock).</summary>
    private static void LendGateIfHeld(UserSession session)
    {
        if (UserCallGates.HoldsExclusive(session.UserId))
        {
            session.GateHandoff?.TrySetResult();
        }
    }

    private async Task RunSetupAsync(UserSession session, TaskCompletionSource? handoff, Func<UserSession, Task> setup)
    {
        // Run off the caller's stack so that the Initialisation field is set before anything completes.
        await Task.Yield();
        IDisposable? hold = null;
        try
        {
            try
            {
                hold = handoff is null ? null : await EnterGateUnlessLentAsync(session.UserId, handoff.Task);
            }
            finally
            {
                lock (session.Sync)
                {
                    session.GateHandoff = null;
                }
            }

            // Session set-up calls pass the user's gate: it is theirs (held or lent).
            using var bypass = UserCallGates.MarkExclusive(session.UserId);
            await setup(session);
        }
        catch (Exception) when (hold is null && handoff is not null && !handoff.Task.IsCompleted)
        {
            // The gate could not be had at all: the set-up never ran, so it must not stay "under way".
            lock (session.Sync)
            {
                session.Initialisation = null;
            }

            throw;
        }
        finally
        {
            hold?.Dispose();
        }
    }

    private async Task<IDisposable?> EnterGateUnlessLentAsync(string userId, Task lent)
    {
        using var stop = new CancellationTokenSource();
        var enter = _gates.EnterExclusiveAsync(userId, stop.Token);
        if (await Task.WhenAny(enter, lent) == enter)
        {
            return await enter;
        }

        await stop.CancelAsync();
        try
        {
            (await enter).Dispose();
        }
        catch (OperationCanceledException)
        {
            // Not taken: the holder lent its hold instead.
        }

        return null;
    }

    /// <summary>A set-up failure is never the order's: anything but the user's or the partner's own state waits and retries.</summary>
    private static BrokerageException AsSetupFailure(Exception exception, string userId) => exception switch
    {
        BrokerageException
        {
            Kind: BrokerageFailureKind.CompetingSession or BrokerageFailureKind.UserNotEntitled or BrokerageFailureKind.PartnerStopped
            or BrokerageFailureKind.SessionNotHeld or BrokerageFailureKind.NotReady or BrokerageFailureKind.Unavailable
        } own => own,
        BrokerageException failure => new BrokerageException(BrokerageFailureKind.NotReady,
            $"The IBKR session of user {userId} could not be set up ({failure.Message}); nothing was sent, the call waits and is retried.",
            userId, failure.Endpoint, failure.BrokerText, failure),
        _ => new BrokerageException(BrokerageFailureKind.NotReady,
            $"The IBKR session of user {userId} could not be set up ({exception.GetType().Name}); nothing was sent, the call waits and is retried.",
            userId, innerException: exception),
    };

    private async Task InitialiseAsync(UserSession session)
    {
        var userId = session.UserId;
        var options = _options.CurrentValue;
        lock (session.Sync)
        {
            if (session.State != BrokerageSessionState.Competing)
            {
                session.State = BrokerageSessionState.Initialising;
            }
        }

        try
        {
            LogInitialising(_logger, userId, options.Ibkr.Compete);
            var status = await SendAsync(
                ct => _sessionApi.InitialiseAsync(userId, new BrokerageSessionInitRequest(Publish: true, Compete: options.Ibkr.Compete), ct),
                IbkrEndpointCatalog.SessionInit, userId);
            if (status?.Connected == false && status.Authenticated != true && Tracking)
            {
                // No brokerage back-end behind the web layer (IBKR's reset or maintenance): not a session problem.
                ReportDisconnected(userId);
                ThrowIfUnavailable(userId, IbkrEndpointCatalog.SessionInit.Name);
            }

            if (status?.Competing == true && status.Authenticated != true)
            {
                throw new BrokerageException(BrokerageFailureKind.CompetingSession,
                    "Another platform holds this user's IBKR brokerage session (set Brokerage__Ibkr__Compete=true to take it over, or use a dedicated API username).",
                    userId, IbkrEndpointCatalog.SessionInit.Name, status.Message);
            }

            if (status?.Authenticated == false)
            {
                throw new BrokerageException(BrokerageFailureKind.SessionLost,
                    "IBKR did not authenticate the brokerage session.", userId, IbkrEndpointCatalog.SessionInit.Name, status.Message ?? status.Fail);
            }

            var allowed = options.Questions.EffectiveAllowedIds.Where(static id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToArray();
            if (allowed.Length > 0)
            {
                await SendAsync(
                    ct => _questionsApi.SuppressAsync(userId, new SuppressQuestionsRequest(allowed), ct),
                    IbkrEndpointCatalog.SuppressQuestions, userId);
            }

            var accounts = await SendAsync(ct => _accountsApi.GetAccountsAsync(userId, ct), IbkrEndpointCatalog.Accounts, userId);

            lock (session.Sync)
            {
                var now = _time.GetUtcNow();
                session.State = BrokerageSessionState.Ready;
                session.Epoch++;
                session.Initialisations++;
                session.ReadySince = now;
                session.NextTickleDue = now + options.Session.TickleInterval;
                session.Accounts = accounts?.Accounts ?? [];
                session.LastError = null;
                session.Initialisation = null;
            }

            _metrics.SessionInitialised();
            LogReady(_logger, userId, allowed.Length);
        }
        catch (Exception ex)
        {
            var failure = AsSetupFailure(ex, userId);
            var competing = failure.Kind == BrokerageFailureKind.CompetingSession;

            // No token (the partner refused, or the user is not entitled): the session itself never got to fail.
            var notTried = failure.Kind is BrokerageFailureKind.PartnerStopped or BrokerageFailureKind.UserNotEntitled;
            lock (session.Sync)
            {
                session.State = competing ? BrokerageSessionState.Competing
                    : notTried ? BrokerageSessionState.NotStarted
                    : failure.Kind == BrokerageFailureKind.Unavailable ? BrokerageSessionState.Paused
                    : BrokerageSessionState.Failed;
                session.LastError = failure.Message;
                session.FailedAt = _time.GetUtcNow();
                session.Initialisation = null;
            }

            if (competing)
            {
                LogCompeting(_logger, userId);
            }
            else
            {
                LogInitialisationFailed(_logger, userId, failure.Message);
            }

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    private async Task WarmUpAccountsAsync(UserSession session)
    {
        try
        {
            var accounts = await SendAsync(ct => _accountsApi.GetAccountsAsync(session.UserId, ct), IbkrEndpointCatalog.Accounts, session.UserId);
            lock (session.Sync)
            {
                session.Epoch++;
                session.Accounts = accounts?.Accounts ?? session.Accounts;
                session.Initialisation = null;
            }
        }
        catch (Exception ex)
        {
            lock (session.Sync)
            {
                session.Initialisation = null;
            }

            var failure = AsSetupFailure(ex, session.UserId);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    private void MarkCompeting(UserSession session, string reason)
    {
        lock (session.Sync)
        {
            session.State = BrokerageSessionState.Competing;
            session.LastError = reason;
        }

        LogCompeting(_logger, session.UserId);
    }

    /// <summary>
    /// What an answer says about IBKR's back-end: a 503 asks for a probe; any other usable answer says it is there.
    /// (Init and status answers say more, in <c>connected</c>: read where they are handled.)
    /// </summary>
    internal void ReportOutcome(string userId, IApiResponse response, ResponseSignal signal)
    {
        if (_availability is not IOutageReports reports)
        {
            return;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            reports.ReportOutageAnswer(userId, OutageAnswer.ServiceUnavailable);
        }
        else if (signal == ResponseSignal.Ok)
        {
            reports.ReportHealthy(userId);
        }
    }

    /// <summary>A session set-up call; a 401 is retried once (the bearer-token handler has retired the token by then).</summary>
    private async Task<T?> SendAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, IbkrEndpoint endpoint, string userId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (response, signal) = await IbkrCall.SendAsync(call, endpoint, userId, null, CancellationToken.None);
            using (response)
            {
                if (endpoint != IbkrEndpointCatalog.SessionInit)
                {
                    ReportOutcome(userId, response, signal);
                }

                if (signal == ResponseSignal.Ok)
                {
                    return response.Content;
                }

                if (signal == ResponseSignal.SessionLost && attempt == 0)
                {
                    continue;
                }

                throw FailureClassifier.FromSignal(signal, response, endpoint, userId, null);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening IBKR brokerage session for user {UserId} (compete: {Compete})")]
    private static partial void LogInitialising(ILogger logger, string userId, bool compete);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR brokerage session ready for user {UserId} ({SuppressedCount} question ids suppressed, accounts warmed up)")]
    private static partial void LogReady(ILogger logger, string userId, int suppressedCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR brokerage session of user {UserId} is gone; re-initialising")]
    private static partial void LogSessionLost(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "IBKR brokerage session of user {UserId} is held by another platform (competing session)")]
    private static partial void LogCompeting(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opening the IBKR brokerage session for user {UserId} failed: {Reason}")]
    private static partial void LogInitialisationFailed(ILogger logger, string userId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tickle for user {UserId} failed ({Kind}); tickling again sooner")]
    private static partial void LogTickleFailed(ILogger logger, string userId, BrokerageFailureKind kind);
}

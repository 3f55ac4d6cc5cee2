using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Http;
using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Accounts;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Ibkr.Session;
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

    public BrokerageSessionManager(
        ISessionApi sessionApi,
        IAccountsApi accountsApi,
        IQuestionsApi questionsApi,
        TimeProvider time,
        IOptionsMonitor<BrokerageOptions> options,
        BrokerageMetrics metrics,
        IUserSessionAuthority authority,
        ILogger<BrokerageSessionManager> logger)
    {
        _metrics = metrics;
        _authority = authority;
        _sessionApi = sessionApi;
        _accountsApi = accountsApi;
        _questionsApi = questionsApi;
        _time = time;
        _options = options;
        _logger = logger;
    }

    public IReadOnlyList<UserSessionSnapshot> GetSessions() =>
        [.. _sessions.Values.Select(static session => { lock (session.Sync) { return session.Snapshot(); } })];

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
        var session = SessionOf(userId);
        Task initialisation;
        lock (session.Sync)
        {
            if (session.State == BrokerageSessionState.Ready)
            {
                return;
            }

            initialisation = session.Initialisation ??= InitialiseAsync(session);
        }

        await initialisation.WaitAsync(cancellationToken);
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

                if (session.State != BrokerageSessionState.Competing)
                {
                    session.State = BrokerageSessionState.Lost;
                }

                LogSessionLost(_logger, userId);
                session.Initialisation = InitialiseAsync(session);
            }

            initialisation = session.Initialisation;
        }

        await initialisation.WaitAsync(cancellationToken);
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

                session.Initialisation = WarmUpAccountsAsync(session);
            }

            warmUp = session.Initialisation;
        }

        await warmUp.WaitAsync(cancellationToken);
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
                if (signal == ResponseSignal.SessionLost || (signal == ResponseSignal.Ok && status?.Authenticated == false))
                {
                    if (status?.Competing == true)
                    {
                        MarkCompeting(session, "tickle reports a competing session");
                    }

                    await RecoverAsync(userId, epoch, cancellationToken);
                    return;
                }

                lock (session.Sync)
                {
                    var now = _time.GetUtcNow();
                    if (signal == ResponseSignal.Ok)
                    {
                        session.LastTickle = now;
                        session.NextTickleDue = now + options.TickleInterval;
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

    private UserSession SessionOf(string userId) => _sessions.GetOrAdd(userId, static id => new UserSession(id));

    private async Task InitialiseAsync(UserSession session)
    {
        // Run off the caller's stack so that the Initialisation field is set before anything completes.
        await Task.Yield();
        var userId = session.UserId;

        // Session set-up calls pass the user's gate: nothing of this user can be waiting on a reply while its session is down.
        using var bypass = UserCallGates.MarkExclusive(userId);
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
            var competing = ex is BrokerageException { Kind: BrokerageFailureKind.CompetingSession };
            lock (session.Sync)
            {
                session.State = competing ? BrokerageSessionState.Competing : BrokerageSessionState.Failed;
                session.LastError = ex.Message;
                session.Initialisation = null;
            }

            if (competing)
            {
                LogCompeting(_logger, userId);
            }
            else
            {
                LogInitialisationFailed(_logger, userId, ex.Message);
            }

            throw;
        }
    }

    private async Task WarmUpAccountsAsync(UserSession session)
    {
        await Task.Yield();
        using var bypass = UserCallGates.MarkExclusive(session.UserId);
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
        catch
        {
            lock (session.Sync)
            {
                session.Initialisation = null;
            }

            throw;
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

    /// <summary>A session set-up call; a 401 is retried once (the bearer-token handler has retired the token by then).</summary>
    private static async Task<T?> SendAsync<T>(Func<CancellationToken, Task<IApiResponse<T>>> call, IbkrEndpoint endpoint, string userId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (response, signal) = await IbkrCall.SendAsync(call, endpoint, userId, null, CancellationToken.None);
            using (response)
            {
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

using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Egress;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Control;

/// <summary>
/// The test-control surface, in process: <c>factory.Services.GetRequiredService&lt;SimulatorControl&gt;()</c>.
/// The <c>/__sim</c> HTTP API calls exactly these methods.
/// </summary>
public sealed class SimulatorControl(
    UserStateRegistry sessions,
    BearerTokenStore tokens,
    UserDirectory users,
    OrderBook book,
    MarketPrices market,
    FaultInjector faults,
    ExtraQuestions extraQuestions,
    RequestLog requests,
    SimulatorCounters counters,
    OrderEngine engine,
    OrderFates fates,
    GroupAnswers groupAnswers,
    BehaviourSettings behaviour,
    SimulatorClock time,
    EgressIpMeter egress,
    OrderStreamHub stream,
    MaintenanceWindow maintenance,
    ILogger<SimulatorControl> logger)
{
    /// <summary>
    /// Ends a maintenance window; clears sessions, tokens, orders (the ledger), positions, faults, extra questions, partial acceptance, pinned prices
    /// and the request log; clears the websocket's faults and counts and cuts every socket; puts the behaviour back to the
    /// configuration and the clock back to the registered TimeProvider.
    /// </summary>
    public void Reset()
    {
        maintenance.Clear();
        stream.Reset();
        time.Reset();
        behaviour.Reset();
        groupAnswers.Clear();
        sessions.Clear();
        tokens.Clear();
        book.Clear();
        market.Reset();
        faults.Clear();
        extraQuestions.Clear();
        requests.Clear();
        egress.Clear();
        counters.Clear();
        SimulatorLog.Reset(logger);
    }

    public void SetFaults(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problem = settings.Problem();
        if (problem is not null)
            throw new ArgumentException(problem, nameof(settings));
        faults.Set(settings);
        SimulatorLog.FaultsSet(
            logger, settings.LatencyMs, settings.ServerErrorRate, settings.TooManyRequestsRate, settings.AnswerLostRate,
            settings.AnswerLostAs, settings.PathContains, settings.UserId, settings.Seed);
    }

    public void ClearFaults()
    {
        faults.Clear();
        SimulatorLog.FaultsCleared(logger);
    }

    public FaultSettings Faults => faults.Settings;

    /// <summary>
    /// Ends the user's brokerage session: the next /iserver call gets 401, tickle and status authenticated:false; the
    /// user's websockets close (close frame 1000 "session ended", no <c>sts</c> before it).
    /// </summary>
    public void DropSession(string userId)
    {
        var user = sessions.Get(userId);
        lock (user.Gate)
        {
            user.EndSession(time.GetUtcNow());
        }

        stream.CloseUser(userId);

        SimulatorLog.SessionDropped(logger, userId);
    }

    /// <summary>
    /// Another platform takes the username's session: competing:true, trading refused until ssodh/init with compete:true.
    /// The user's websockets get <c>sts</c> {"authenticated":false,"competing":true,…} and then close.
    /// </summary>
    public void Compete(string userId)
    {
        stream.Compete(userId);
        var user = sessions.Get(userId);
        lock (user.Gate)
        {
            user.EndSession(time.GetUtcNow());
            user.CompetingElsewhere = true;
        }

        SimulatorLog.Competing(logger, userId);
    }

    /// <summary>
    /// IBKR's back-end goes into maintenance for <paramref name="duration"/> of the simulator's clock: every brokerage
    /// session ends now (waiting questions are forgotten), every websocket closes (1001 "going away"); until the end
    /// tickle, auth status and init answer <c>connected:false</c>, other <c>/iserver</c> calls get
    /// <see cref="IbkrBehaviour.MaintenanceAnswer"/> and websocket upgrades 503. The exchange keeps filling and
    /// cancelling. After it, init opens a new session (ended orders of the window are not listed, only their trades).
    /// With <paramref name="users"/> only their back-end is down (their server restarts alone); everyone else carries on.
    /// </summary>
    public MaintenanceReport StartMaintenance(TimeSpan duration, IReadOnlyCollection<string>? users = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = time.GetUtcNow();
        maintenance.Start(now + duration, users);
        var sockets = users is null ? stream.CloseAll() : users.Sum(u => stream.Drop(u, graceful: true));
        foreach (var user in sessions.All().Where(u => users is null || users.Contains(u.UserId)))
        {
            lock (user.Gate)
            {
                user.EndSession(now);
            }
        }

        SimulatorLog.MaintenanceStarted(logger, now + duration, sockets);
        return Maintenance;
    }

    /// <summary>Ends the maintenance window now: init works again.</summary>
    public void EndMaintenance()
    {
        maintenance.End();
        SimulatorLog.MaintenanceEnded(logger);
    }

    public MaintenanceReport Maintenance =>
        new(maintenance.IsActive, maintenance.Until, behaviour.Current.MaintenanceAnswer, maintenance.Refusals,
            maintenance.Users?.Order(StringComparer.Ordinal).ToList());

    public void SetUserAccounts(string userId, IReadOnlyList<string> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0 || accounts.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("at least one non-empty account id is required", nameof(accounts));
        users.Register(userId, accounts);
    }

    /// <summary>Following orders (of <paramref name="forUserId"/>, or everyone's) also ask these questions; an empty list stops that.</summary>
    public void SetExtraQuestions(IReadOnlyList<Question> questions, string? forUserId = null)
    {
        ArgumentNullException.ThrowIfNull(questions);
        extraQuestions.Set(questions, forUserId);
    }

    public void PinPrice(int conid, decimal price)
    {
        if (price <= 0)
            throw new ArgumentOutOfRangeException(nameof(price), "price must be positive");
        market.Pin(conid, price);
        SimulatorLog.PricePinned(logger, conid, price);
    }

    /// <summary>Pins the price and the quote around it (a MIDPRICE order fills at the quote's midpoint).</summary>
    public void PinPrice(int conid, decimal price, Quote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (price <= 0 || quote.Bid <= 0 || quote.Bid > quote.Ask)
            throw new ArgumentOutOfRangeException(nameof(quote), "price and bid must be positive, bid <= ask");
        market.Pin(conid, price, quote);
        SimulatorLog.PricePinned(logger, conid, price);
    }

    public void UnpinPrice(int conid) => market.Unpin(conid);

    public Quote QuoteOf(int conid) => market.QuoteOf(conid);

    public decimal PriceOf(int conid) => market.PriceOf(conid);

    /// <summary>Runs one engine tick now (moves the price path, works every open order).</summary>
    public void Tick() => engine.Tick();

    /// <summary>The simulator's now: the registered TimeProvider plus every <see cref="AdvanceClock"/> so far.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    public TimeSpan ClockOffset => time.Offset;

    /// <summary>Moves the simulator's clock forward for every rule: sessions, tokens, pacing, the cOID window, trades' days.</summary>
    public void AdvanceClock(TimeSpan by)
    {
        time.Advance(by);
        SimulatorLog.ClockAdvanced(logger, by, time.GetUtcNow());
    }

    /// <summary>The IBKR rules in force (start: the configuration).</summary>
    public IbkrBehaviour Behaviour => behaviour.Current;

    /// <summary>Switches IBKR rules, e.g. <c>SetBehaviour(control.Behaviour with { LiveOrdersListingLag = TimeSpan.FromSeconds(5) })</c>.</summary>
    public void SetBehaviour(IbkrBehaviour rules)
    {
        behaviour.Set(rules);
        SimulatorLog.BehaviourSet(logger, rules.ToString());
    }

    public void ResetBehaviour() => behaviour.Reset();

    public GroupAnswerSettings GroupAnswers => groupAnswers.Settings;

    /// <summary>Following multi-ticket requests are accepted in part (see <see cref="GroupAnswerSettings"/>).</summary>
    public void SetGroupAnswers(GroupAnswerSettings settings) => groupAnswers.Set(settings);

    public void ClearGroupAnswers() => groupAnswers.Clear();

    /// <summary>The destination refuses the order (IBKR order id or cOID) after acceptance: Inactive.</summary>
    public FateOutcome MakeInactive(string orderKey, bool whenNoSession = false) =>
        fates.Apply(orderKey, OrderFate.Inactive, whenNoSession: whenNoSession);

    /// <summary>The exchange cancels the order without a cancel request.</summary>
    public FateOutcome CancelAtExchange(string orderKey, bool whenNoSession = false) =>
        fates.Apply(orderKey, OrderFate.CancelledByExchange, whenNoSession: whenNoSession);

    /// <summary>The order fills: <paramref name="quantity"/> (default all that remains) at <paramref name="price"/> (default the reference price).</summary>
    public FateOutcome Fill(string orderKey, decimal? quantity = null, decimal? price = null, bool whenNoSession = false) =>
        fates.Apply(orderKey, OrderFate.Fill, quantity, price, whenNoSession);

    public IReadOnlyList<LedgerEntry> Ledger()
    {
        lock (book.Gate)
        {
            return book.Orders.Select(o => new LedgerEntry(
                o.OrderId, o.COID, o.UserId, o.AccountId, o.Conid, o.Side, o.OrderType, o.Quantity, o.Price, o.AuxPrice,
                o.Status, o.FilledQuantity, o.AvgPrice, o.ParentId, o.OcaGroup, o.AcceptedAt)
            {
                CashQuantity = o.CashQty,
                FilledCashAmount = o.FilledCashAmount,
                SecType = o.Instrument.SecType,
                Exchange = o.Exchange,
                Tif = o.Tif,
                Strategy = o.Strategy,
                StrategyParameters = o.StrategyParameters,
                UseAdaptive = o.UseAdaptive,
                AllOrNone = o.AllOrNone,
                ManualIndicator = o.ManualIndicator,
                IsCcyConv = o.IsCcyConv,
            }).ToList();
        }
    }

    public IReadOnlyList<RequestLogEntry> Requests() => requests.Entries;

    /// <summary>Per calling IP: requests, the most seen within any 1 s, 429s and the penalty box.</summary>
    public IReadOnlyList<EgressIpReport> Egress() => egress.Report();

    /// <summary>Puts an IP in IBKR's penalty box for <paramref name="duration"/>: every request from it gets 429.</summary>
    public void PenaltyBox(string ip, TimeSpan duration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ip);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        egress.PenaltyBox(ip, duration);
    }

    public SimulatorStats Stats()
    {
        int accepted;
        lock (book.Gate)
            accepted = book.Orders.Count;
        return new SimulatorStats(
            requests.CountsByEndpoint, requests.TooManyRequests, counters.SessionsInitialised, counters.BearerTokensIssued, accepted,
            stream.Stats.Connects, stream.Stats.FramesByTopic, maintenance.Refusals);
    }

    /// <summary>The websocket: sockets per user and their subscriptions, frames by topic, client messages by kind, faults.</summary>
    public StreamReport Stream() => stream.Report();

    /// <summary>Cuts the user's sockets: <paramref name="graceful"/> sends a close frame (1001), else the connection just breaks. Returns how many.</summary>
    public int DropStream(string userId, bool graceful = false) => stream.Drop(userId, graceful);

    /// <summary>For <paramref name="duration"/> of the simulator's clock the user's sockets send nothing (heartbeats included) and stay open; frames produced meanwhile are lost.</summary>
    public void StallStream(string userId, TimeSpan duration) => stream.Stall(userId, duration);

    /// <summary>Every frame to the user leaves <paramref name="by"/> (simulator clock) after it was produced; zero ends the delay.</summary>
    public void DelayStream(string userId, TimeSpan by) => stream.Delay(userId, by);

    /// <summary>Queues <paramref name="count"/> bad frames on each of the user's open sockets. Returns how many sockets got them.</summary>
    public int SendStreamGarbage(string userId, StreamGarbageKind kind, int count = 1) => stream.Garbage(userId, kind, count);

    /// <summary>The user's next <paramref name="count"/> <c>sor</c>/<c>str</c> frames are sent twice each.</summary>
    public void DuplicateStreamFrames(string userId, int count = 1) => stream.Duplicate(userId, count);

    /// <summary>Every socket of every user is cut every <paramref name="period"/> of the simulator's clock; null stops it.</summary>
    public void DropStreamsEvery(TimeSpan? period) => stream.DropEvery(period);

    /// <summary>Ends every stream fault (stall, delay, duplicates, drop-every); open sockets stay open.</summary>
    public void ClearStreamFaults() => stream.ClearFaults();
}

using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Configuration;

/// <summary>Settings of the simulator, bound from the configuration section <c>Simulator</c>.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>The partner client id expected in the <c>clientId</c> claim of partner JWTs.</summary>
    public string PartnerClientId { get; set; } = "orderprocessor-dev";

    /// <summary>The HS256 secret of partner JWTs. The default is for development only.</summary>
    public string PartnerApiKey { get; set; } = "dev-only-partner-api-key-change-me-0123456789";

    public TimeSpan BearerTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(6);

    public int PerUserRequestsPerSecond { get; set; } = 10;

    /// <summary>
    /// Requests per second that one calling IP may send across all its users; more are answered 429. 0: no per-IP limit.
    /// IBKR does not publish this figure; 50 matches the guard's default budget, so a guard that keeps its budget is never refused.
    /// </summary>
    public int PerIpRequestsPerSecond { get; set; } = 50;

    /// <summary>This many 429s to one IP within <see cref="PenaltyBoxCountWindow"/> put the IP in the penalty box. 0: never.</summary>
    public int PenaltyBoxAfter429s { get; set; } = 10;

    public TimeSpan PenaltyBoxCountWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a boxed IP gets nothing but 429 (IBKR: 10 minutes).</summary>
    public TimeSpan PenaltyBoxDuration { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan LiveOrdersMinInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan TickleMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MarketTickInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A market order (not a bracket child waiting for its parent) is worked the moment it is accepted, instead of on the
    /// next engine tick: its fill is streamed before the place answer is even written. For latency benchmarks ("the
    /// simulator fills market orders immediately"); slices above <see cref="SingleSliceMaxQuantity"/> still fill the rest on the next tick.
    /// </summary>
    public bool FillMarketOrdersOnAccept { get; set; }

    /// <summary>The websocket <c>/v1/api/ws</c> (section <c>Simulator:Stream</c>).</summary>
    public Streaming.StreamSettings Stream { get; set; } = new();

    /// <summary>When false, the engine only moves when <c>SimulatorControl.Tick()</c> or <c>POST /__sim/market/tick</c> is called.</summary>
    public bool AutomaticMarketTicks { get; set; } = true;

    /// <summary>IBKR may answer the first live-orders call of a brokerage session with an empty list; the simulator always does when true.</summary>
    public bool FirstLiveOrdersCallEmpty { get; set; } = true;

    /// <summary>
    /// A just-placed order is missing from live orders until this long after its acceptance. 0 by default so that tests
    /// which list right after placing keep working; scenarios that must survive IBKR's lagging list set it.
    /// </summary>
    public TimeSpan LiveOrdersListingLag { get; set; } = TimeSpan.Zero;

    /// <summary>Every listed order appears twice (same order, two entries), as IBKR's list sometimes does.</summary>
    public bool LiveOrdersRepeatEntries { get; set; }

    /// <summary>
    /// Also list orders that ended between the previous session and this one (kinder than IBKR, which lists ended orders
    /// only when they ended in the current session). For scenarios written against the older simulator.
    /// </summary>
    public bool LiveOrdersIncludeEndedBetweenSessions { get; set; }

    /// <summary>Which orders of earlier sessions the order status call answers with 503.</summary>
    public StatusUnavailableScope OrderStatusUnavailableFor { get; set; } = StatusUnavailableScope.EndedBeforeSession;

    /// <summary>
    /// A bearer token that never called ssodh/init (a refreshed token of the same client) joins the session current at its
    /// first call. false: only the token that opened the session sees it; every other token finds none until it inits.
    /// </summary>
    public bool UninitialisedTokensShareSession { get; set; } = true;

    /// <summary>How long a registered cOID is refused; after that the same cOID places a second order.</summary>
    public TimeSpan DuplicateClientOrderIdWindow { get; set; } = IbkrRules.DefaultDuplicateClientOrderIdWindow;

    /// <summary>When a placement's cOID is compared with the registered ones: before margin and questions, after, or both.</summary>
    public DuplicateCheckPoint DuplicateClientOrderIdCheck { get; set; } = DuplicateCheckPoint.Both;

    /// <summary>What a modify ticket's cOID must be compared with the order's original cOID.</summary>
    public ModifyClientOrderIdRule ModifyClientOrderId { get; set; } = ModifyClientOrderIdRule.MustRepeat;

    /// <summary>
    /// IBKR allows up to 20 working orders per contract, side and account; the next placement is refused (200
    /// <c>{"error"}</c>). Orders in <c>PreSubmitted</c>, <c>Submitted</c> or <c>PendingCancel</c> count, bracket children
    /// and every ticket of a group included; modifies do not. 0: no limit.
    /// </summary>
    public int MaxWorkingOrdersPerContractSide { get; set; } = IbkrRules.DefaultMaxWorkingOrdersPerContractSide;

    /// <summary>
    /// The refusal text of the working-orders limit (IBKR does not publish it: ours, unverified); <c>{limit}</c> is
    /// replaced by the limit in force.
    /// </summary>
    public string WorkingOrdersLimitText { get; set; } = IbkrRules.DefaultWorkingOrdersLimitText;

    /// <summary>What every <c>/iserver</c> call other than init, status and tickle gets during a maintenance window.</summary>
    public MaintenanceAnswer MaintenanceAnswer { get; set; } = MaintenanceAnswer.ServiceUnavailable;

    /// <summary>How a cash-quantity order ends once its cash is spent: Filled, or (harder) Cancelled with the rest of its maximum size.</summary>
    public CashQuantityEnding CashQuantityEnding { get; set; } = CashQuantityEnding.Filled;

    public bool AutoProvisionUsers { get; set; } = true;

    /// <summary>Explicit users: userId to its accounts.</summary>
    public Dictionary<string, string[]> Users { get; set; } = [];

    /// <summary>Net liquidation (and equity with loan value) of every simulated account, in USD.</summary>
    public decimal AccountEquity { get; set; } = 1_000_000m;

    public decimal InitialMarginRate { get; set; } = 0.25m;

    public decimal MaintenanceMarginRate { get; set; } = 0.20m;

    /// <summary>A limit price further than this fraction from the reference price asks question o163.</summary>
    public decimal PriceDeviationLimit { get; set; } = 0.03m;

    /// <summary>Orders of a larger quantity fill in two slices over two ticks.</summary>
    public decimal SingleSliceMaxQuantity { get; set; } = 100m;
}

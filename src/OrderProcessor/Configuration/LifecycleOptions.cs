using System.ComponentModel.DataAnnotations;
using OrderProcessor.Orders;

namespace OrderProcessor.Configuration;

/// <summary>How the processor works orders at IBKR (section <c>Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    /// <summary>
    /// How long a worker holds an order it works on; its IBKR calls must finish within <see cref="DeadlineShare"/> of it
    /// (checked against the guard's timeouts at start), and after it another worker may take the work up.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:01", "00:10:00", ErrorMessage = "Lifecycle:WorkLease must be between 1 s and 10 min.")]
    public TimeSpan WorkLease { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 100, ErrorMessage = "Lifecycle:MaxSubmitAttempts must be between 1 and 100.")]
    public int MaxSubmitAttempts { get; set; } = 6;

    [Range(1, 20, ErrorMessage = "Lifecycle:ReconcileMissesBeforeResend must be between 1 and 20.")]
    public int ReconcileMissesBeforeResend { get; set; } = 2;

    [RangeOf<TimeSpan>("00:00:00.100", "00:05:00", ErrorMessage = "Lifecycle:ReconcileInterval must be between 100 ms and 5 min.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    [RangeOf<TimeSpan>("00:00:00.010", "00:05:00", ErrorMessage = "Lifecycle:RetryDelay must be between 10 ms and 5 min.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [RangeOf<TimeSpan>("00:00:00.010", "01:00:00", ErrorMessage = "Lifecycle:MaxRetryDelay must be between 10 ms and 1 h.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest an order waits from its arrival for a set-up, token or partner failure (not its own) to clear before it
    /// is first sent; then it ends Failed, nothing sent, rather than reaching the market hours late.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:01", "1.00:00:00", ErrorMessage = "Lifecycle:MaxWaitBeforeSend must be between 1 s and 24 h.")]
    public TimeSpan MaxWaitBeforeSend { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Longest an order is held while IBKR is unavailable (a maintenance window or an outage), from its first hold; then
    /// it is rejected (HoldExpired), nothing sent.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:01", "1.00:00:00", ErrorMessage = "Lifecycle:MaxHold must be between 1 s and 24 h.")]
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>When IBKR's return time is not known, how soon held work is looked at again.</summary>
    [RangeOf<TimeSpan>("00:00:00.100", "00:10:00", ErrorMessage = "Lifecycle:HoldProbeInterval must be between 100 ms and 10 min.")]
    public TimeSpan HoldProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    [RangeOf<decimal>("0.01", "1", ErrorMessage = "Lifecycle:MaxInitialMarginShareOfEquity must be between 0.01 and 1.")]
    public decimal MaxInitialMarginShareOfEquity { get; set; } = 0.5m;

    /// <summary>How often the worker looks for due work when nothing woke it.</summary>
    [RangeOf<TimeSpan>("00:00:00.010", "00:01:00", ErrorMessage = "Lifecycle:WorkPollInterval must be between 10 ms and 1 min.")]
    public TimeSpan WorkPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often, at most, the worker looks in PostgreSQL for due standalone margin checks it was not told of: checks kept
    /// by another instance for a user this one holds, retries due later, claims that ran out. A check kept on this instance
    /// is looked for at once. The look rides on the worker's turns, so an idle worker looks every
    /// <see cref="WorkPollInterval"/>.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:00.010", "00:01:00", ErrorMessage = "Lifecycle:MarginCheckPollInterval must be between 10 ms and 1 min.")]
    public TimeSpan MarginCheckPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>IBKR calls the worker runs at once (each user's calls are serialised by the guard anyway).</summary>
    [Range(1, 512, ErrorMessage = "Lifecycle:MaxConcurrentWork must be between 1 and 512.")]
    public int MaxConcurrentWork { get; set; } = 64;

    /// <summary>
    /// Of those, how many one user may hold at once in this process. A user's calls wait in its serialised gate in the
    /// guard anyway: more than a few only keeps slots from other users (a burst of one user would otherwise hold them all)
    /// and puts the user's own later cancels behind its placements. At most <see cref="MaxConcurrentWork"/>.
    /// </summary>
    [Range(1, 512, ErrorMessage = "Lifecycle:MaxConcurrentWorkPerUser must be between 1 and 512.")]
    public int MaxConcurrentWorkPerUser { get; set; } = 8;

    /// <summary>How often each user with live orders has them read from IBKR (IBKR allows 1 per 5 s).</summary>
    [RangeOf<TimeSpan>("00:00:00.100", "00:10:00", ErrorMessage = "Lifecycle:StatusPollInterval must be between 100 ms and 10 min.")]
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a user whose order stream (IBKR's websocket) is healthy still has its live orders read over REST, as a
    /// safety net; without a healthy stream the reads come every <see cref="StatusPollInterval"/>.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:05", "00:10:00", ErrorMessage = "Lifecycle:SafetyPollInterval must be between 5 s and 10 min.")]
    public TimeSpan SafetyPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the order stream's reports of one user are gathered before they are written, as one write (a fill's
    /// <c>str</c> execution and its <c>sor</c> status are one commit, not two). 0 writes each frame as it comes.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:00", "00:00:01", ErrorMessage = "Lifecycle:StreamCoalesceWindow must be between 0 and 1 s.")]
    public TimeSpan StreamCoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How long this instance holds a user's IBKR session without renewing it; after that another instance may take the user over.</summary>
    [RangeOf<TimeSpan>("00:00:01", "00:10:00", ErrorMessage = "Lifecycle:UserLeaseDuration must be between 1 s and 10 min.")]
    public TimeSpan UserLeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No order is sent again once its first send is older than this (IBKR refuses a repeated cOID only within 24 h).</summary>
    [RangeOf<TimeSpan>("00:01:00", "20:00:00", ErrorMessage = "Lifecycle:ResendWindow must be between 1 min and 20 h (IBKR's duplicate protection lasts 24 h).")]
    public TimeSpan ResendWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Cancel requests sent for one order before the processor gives up and refuses the CancelOrder.</summary>
    [Range(1, 100, ErrorMessage = "Lifecycle:MaxCancelAttempts must be between 1 and 100.")]
    public int MaxCancelAttempts { get; set; } = 6;

    /// <summary>How long after a cancel was sent the order may still be reported working before the cancel is sent again.</summary>
    [RangeOf<TimeSpan>("00:00:01", "01:00:00", ErrorMessage = "Lifecycle:CancelConfirmTimeout must be between 1 s and 1 h.")]
    public TimeSpan CancelConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive status polls that do not list an order IBKR has before it is settled from the trades.</summary>
    [Range(2, 100, ErrorMessage = "Lifecycle:UnlistedPollsBeforeSettle must be between 2 and 100 (the first poll of a session may be empty).")]
    public int UnlistedPollsBeforeSettle { get; set; } = 3;

    /// <summary>How long processed message ids (the inbox) and early cancels are kept: a redelivery or a reordered PlaceOrder older than this is not recognised.</summary>
    [RangeOf<TimeSpan>("01:00:00", "365.00:00:00", ErrorMessage = "Lifecycle:InboxRetention must be between 1 h and 365 days.")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// On shutdown, how long IBKR calls under way may still finish and have their answers recorded (no new work is
    /// claimed meanwhile); what is still under way then is cut off and reconciled by the next holder of its user.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:00", "00:05:00", ErrorMessage = "Lifecycle:DrainTimeout must be between 0 and 5 min.")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>This instance's id in the user-session leases (default: machine, process and a random part).</summary>
    [MaxLength(64, ErrorMessage = "Lifecycle:InstanceId must be at most 64 characters.")]
    public string? InstanceId { get; set; }

    /// <summary>
    /// Copied from <c>Risk:WhenNoReferencePrice</c> (Allow) at start-up, not bound from this section: the what-if step of
    /// the lifecycle decides an order whose what-if gave no order value.
    /// </summary>
    public bool AllowWithoutReferencePrice { get; internal set; }

    /// <summary>The share of a lease within which the calls made under it must finish; the rest is margin for writing the result.</summary>
    public const double DeadlineShare = 0.8;

    /// <summary>The deadline of the calls made under a lease of <paramref name="lease"/>.</summary>
    public static TimeSpan CallDeadline(TimeSpan lease) => lease * DeadlineShare;

    public LifecycleSettings ToSettings() => new()
    {
        WorkLease = WorkLease,
        MaxSubmitAttempts = MaxSubmitAttempts,
        ReconcileMissesBeforeResend = ReconcileMissesBeforeResend,
        ReconcileInterval = ReconcileInterval,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        MaxWaitBeforeSend = MaxWaitBeforeSend,
        MaxInitialMarginShareOfEquity = MaxInitialMarginShareOfEquity,
        ResendWindow = ResendWindow,
        MaxCancelAttempts = MaxCancelAttempts,
        CancelConfirmTimeout = CancelConfirmTimeout,
        UnlistedPollsBeforeSettle = UnlistedPollsBeforeSettle,
        MaxHold = MaxHold,
        HoldProbeInterval = HoldProbeInterval,
        AllowWithoutReferencePrice = AllowWithoutReferencePrice,
    };
}

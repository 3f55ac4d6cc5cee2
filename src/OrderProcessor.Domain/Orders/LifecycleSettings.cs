namespace OrderProcessor.Orders;

/// <summary>The bounds of the lifecycle's retries and waits, from configuration (section <c>Lifecycle</c>).</summary>
public sealed record LifecycleSettings
{
    /// <summary>How long a worker holds an order it is working on; after that another worker may take the work up.</summary>
    public TimeSpan WorkLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends of an order, in all, that provably did not reach IBKR before it ends Failed; also the bound of what-if and modify attempts.</summary>
    public int MaxSubmitAttempts { get; init; } = 6;

    /// <summary>Consecutive live-order polls without the order before it counts as provably absent (the first poll of a session may be empty).</summary>
    public int ReconcileMissesBeforeResend { get; init; } = 2;

    /// <summary>Wait between two reconciliation polls (IBKR paces live orders at 1 per 5 s per user).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// No order is sent again once its first send is older than this: IBKR refuses a repeated cOID only within 24 h,
    /// so past this margin a resend could place the order twice. Such an order is handed to an operator instead.
    /// </summary>
    public TimeSpan ResendWindow { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Cancel requests sent for one order (each unconfirmed one is sent again) before the processor gives up and says so.</summary>
    public int MaxCancelAttempts { get; init; } = 6;

    /// <summary>How long after a cancel was sent the order may still be reported working before the cancel is sent again.</summary>
    public TimeSpan CancelConfirmTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive status polls that do not list an order IBKR has before the processor settles it from the trades.</summary>
    public int UnlistedPollsBeforeSettle { get; init; } = 3;

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest an order waits, from its arrival, for a failure that is not its own (set-up, token, partner) to clear
    /// before its first send or margin check; then it ends Failed (nothing sent) instead of going out hours late.
    /// </summary>
    public TimeSpan MaxWaitBeforeSend { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Largest post-trade initial margin, as a share of equity with loan value, that RejectOnExcessInitialMargin allows.</summary>
    public decimal MaxInitialMarginShareOfEquity { get; init; } = 0.5m;

    /// <summary>
    /// Longest an order is held while IBKR is unavailable (a maintenance window or an outage), from its first hold; then
    /// it is rejected (HoldExpired), nothing sent.
    /// </summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>When IBKR's return time is not known, how soon held work is looked at again.</summary>
    public TimeSpan HoldProbeInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>Risk:WhenNoReferencePrice=Allow</c>: an order whose what-if gives no order value passes the controls that need
    /// IBKR's reference price; otherwise it is rejected (ReferencePriceUnavailable), nothing sent.
    /// </summary>
    public bool AllowWithoutReferencePrice { get; init; }

    public TimeSpan Backoff(int attempts)
    {
        var delay = RetryDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 16));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}

namespace OrderProcessor.Simulator.Rules;

/// <summary>
/// IBKR's rules as pure functions, shared by the HTTP simulator and the in-memory IBKR model of the simulation tests:
/// no I/O, no clock (callers pass every time), no ASP.NET types.
/// </summary>
public static class IbkrRules
{
    /// <summary>How many days of executions <c>GET /iserver/account/trades</c> covers without <c>days</c>: today only.</summary>
    public const int DefaultTradeDays = 1;

    /// <summary>The largest <c>days</c> IBKR serves (today and the six days before).</summary>
    public const int MaxTradeDays = 7;

    /// <summary>
    /// How long IBKR refuses a cOID it has registered ("must be unique within 24 h"). The same number as the guard's
    /// IbkrLimits.DuplicateClientOrderIdWindow, copied because the simulator must not reference production code.
    /// </summary>
    public static readonly TimeSpan DefaultDuplicateClientOrderIdWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// "IB allows up to 20 active orders per contract per side per account" (IBKR's order limitations page): the
    /// placement that would make the 21st working order of an account, conid and side is refused.
    /// </summary>
    public const int DefaultMaxWorkingOrdersPerContractSide = 20;

    /// <summary>
    /// The refusal text of that limit. IBKR does not publish it (no OpenAPI text, campus page or client library quotes
    /// it): ours, in the shape of IBKR's other order rejections, **unverified**. <c>{limit}</c> is the limit in force.
    /// </summary>
    public const string DefaultWorkingOrdersLimitText =
        "Order rejected - reason: the number of working orders for this contract, side and account exceeds the limit of {limit}.";

    /// <summary>
    /// Whether placing <paramref name="adding"/> more orders of one account, conid and side, with
    /// <paramref name="working"/> already working, goes over <paramref name="limit"/> (0: no limit).
    /// </summary>
    public static bool ExceedsWorkingOrdersLimit(int working, int adding, int limit) => limit > 0 && working + adding > limit;

    /// <summary>The refusal text with the limit filled in.</summary>
    public static string WorkingOrdersLimitText(string template, int limit) =>
        (template ?? DefaultWorkingOrdersLimitText).Replace("{limit}", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// Whether a cOID registered at <paramref name="registeredAt"/> is still refused at <paramref name="now"/>. Once the
    /// window has passed the same cOID is accepted again, as a second order.
    /// </summary>
    public static bool IsDuplicateClientOrderId(DateTimeOffset registeredAt, DateTimeOffset now, TimeSpan window) =>
        now - registeredAt < window;

    /// <summary>
    /// Whether live orders list an order: never before <paramref name="listingLag"/> has passed since its acceptance
    /// (IBKR's list lags behind placing); then always while it works; once ended (filled, cancelled, inactive), only when
    /// it ended during the current brokerage session, so an order that ended while no session existed is not listed.
    /// </summary>
    public static bool IsListedInLiveOrders(
        bool isTerminal, DateTimeOffset acceptedAt, DateTimeOffset? endedAt, DateTimeOffset sessionStartedAt, DateTimeOffset now, TimeSpan listingLag)
    {
        if (now - acceptedAt < listingLag)
            return false;
        if (!isTerminal)
            return true;
        return endedAt is { } ended && ended >= sessionStartedAt;
    }

    /// <summary>
    /// The first instant a trades call with <paramref name="days"/> covers: midnight of the server's day (UTC here),
    /// <paramref name="days"/> − 1 calendar days back. days = 1 is today since midnight, days = 2 adds yesterday.
    /// </summary>
    public static DateTimeOffset TradesWindowStart(DateTimeOffset now, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxTradeDays);
        return new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(days - 1));
    }

    /// <summary>Whether an execution at <paramref name="executedAt"/> is in the answer of a trades call with <paramref name="days"/> at <paramref name="now"/>.</summary>
    public static bool IsCoveredByTrades(DateTimeOffset executedAt, DateTimeOffset now, int days) =>
        executedAt >= TradesWindowStart(now, days) && executedAt <= now;

    /// <summary>Whether the order status call answers 503 for an order, because it belongs to an earlier session.</summary>
    public static bool IsOrderStatusUnavailable(
        bool isTerminal, DateTimeOffset acceptedAt, DateTimeOffset? endedAt, DateTimeOffset sessionStartedAt, StatusUnavailableScope scope) =>
        scope == StatusUnavailableScope.AcceptedBeforeSession
            ? acceptedAt < sessionStartedAt
            : isTerminal && (endedAt ?? acceptedAt) < sessionStartedAt;

    /// <summary>Whether a placement is compared with registered cOIDs on arrival, before margin and questions.</summary>
    public static bool ChecksDuplicateOnArrival(DuplicateCheckPoint point) => point is DuplicateCheckPoint.BeforeChecks or DuplicateCheckPoint.Both;

    /// <summary>Whether a placement is compared with registered cOIDs at acceptance, after margin and questions.</summary>
    public static bool ChecksDuplicateAtAcceptance(DuplicateCheckPoint point) => point is DuplicateCheckPoint.AfterChecks or DuplicateCheckPoint.Both;

    /// <summary>Whether a modify ticket's cOID is acceptable for an order placed with <paramref name="originalCOID"/>.</summary>
    public static bool IsModifyClientOrderIdAccepted(string? originalCOID, string? modifyCOID, ModifyClientOrderIdRule rule) => rule switch
    {
        ModifyClientOrderIdRule.Ignored => true,
        ModifyClientOrderIdRule.MustMatchWhenGiven => modifyCOID is null || string.Equals(modifyCOID, originalCOID, StringComparison.Ordinal),
        _ => string.Equals(modifyCOID, originalCOID, StringComparison.Ordinal),
    };
}

using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Risk;

/// <summary>
/// The pre-trade risk controls of a valid, new PlaceOrder, inside the consumer's transaction and under its advisory locks
/// on the account and the user (so counts and buckets are exact across instances). First refusal wins, in this order:
/// halt → quantity → notional (limit/stop price × quantity) → working orders per contract and side → duplicate →
/// order rates. The rates come last so that an order refused by anything spends no token. A passed order that a control
/// needing IBKR's reference price applies to (market-order notional, price band) carries its limits to its what-if,
/// where <see cref="ReferencePriceRules"/> decides before anything is sent.
/// </summary>
public sealed partial class PreTradeRiskCheck(IOptions<RiskOptions> options, ITradingHalts halts, ILogger<PreTradeRiskCheck> logger,
    OrderProcessorMetrics? metrics = null) : IPreTradeRiskCheck
{
    private readonly RiskOptions _options = options.Value;
    private readonly RecentlyShortBuckets _recentlyShort = new();

    public IReadOnlyCollection<string> LockKeys(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_options.Enabled)
        {
            return [];
        }

        var keys = new List<string>(2);
        if (!string.IsNullOrEmpty(command.AccountId))
        {
            keys.Add($"risk-account:{command.AccountId}");
        }

        if (!string.IsNullOrEmpty(command.UserId))
        {
            keys.Add($"risk-user:{command.UserId}");
        }

        return keys;
    }

    public RiskReads Prepare(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new RiskReads(halts.ActiveRead(), _options.Enabled ? LimitsRead(command.AccountId!, command.UserId!, RiskTicket.Of(command)) : null);
    }

    /// <summary>
    /// Prepares, reads and decides in one go, inside the caller's transaction (the halts' shared lock and the counts hold
    /// until its commit): for a caller without a batch of its own to send the reads with.
    /// </summary>
    public async Task<RiskVerdict> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        _ = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The risk check runs inside the caller's transaction: its locks last until its commit.");
        var reads = Prepare(command);
        await BatchRead.RunAsync(db, reads.All, ct);
        return await CheckAsync(db, command, now, reads, ct);
    }

    public async Task<RiskVerdict> CheckAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, RiskReads reads, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(reads);
        var verdict = await DecideAsync(db, command, now, reads, ct) ?? RiskVerdict.Pass;
        if (verdict.Refused)
        {
            metrics?.CommandRefused(nameof(PlaceOrder), verdict.Code!.Value);
            LogRefused(command.OrderId, verdict.Code!.Value, verdict.Reason);
        }

        return verdict;
    }

    public async Task<RiskVerdict> CheckModifyAsync(OrderProcessorDbContext db, OrderSaga order, ModifyOrder command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(command);
        if (await HaltedAsync(db, order.UserId, order.AccountId, ct) is { } halted)
        {
            return halted;
        }

        if (!_options.Enabled || order.Conid is not { } conid || order.Side is not { } side || order.OrderType is not { } type)
        {
            return RiskVerdict.Pass;
        }

        // The ticket as it would be after the change: quantity and notional are checked again, not counts, rates or duplicates.
        var ticket = RiskTicket.Of(order.Terms() with
        {
            Conid = conid,
            Side = side,
            OrderType = type,
            Quantity = command.Quantity ?? order.Quantity ?? 0,
            LimitPrice = command.LimitPrice ?? order.LimitPrice,
            StopPrice = command.StopPrice ?? order.StopPrice,
        });
        var (account, user) = await RiskLimitStore.ReadAsync(db, order.AccountId ?? "", order.UserId ?? "", ct);
        var limits = RiskLimits.Resolve(_options, account, user);
        var verdict = RiskRules.Quantity([ticket], limits.MaxQuantity, order.AccountId) ?? RiskRules.Notional([ticket], limits.MaxNotional) ?? RiskVerdict.Pass;
        if (verdict.Refused)
        {
            metrics?.CommandRefused(nameof(ModifyOrder), verdict.Code!.Value);
            LogRefused(order.OrderId, verdict.Code!.Value, verdict.Reason);
        }

        return verdict;
    }

    private async Task<RiskVerdict?> DecideAsync(OrderProcessorDbContext db, PlaceOrder command, DateTimeOffset now, RiskReads reads, CancellationToken ct)
    {
        if (HaltVerdict.Of(ITradingHalts.Covering(reads.Halts.Value, command.UserId, command.AccountId)) is { } halted)
        {
            return halted;
        }

        if (!_options.Enabled || reads.Limits is null)
        {
            return null;
        }

        var accountId = command.AccountId!;
        var userId = command.UserId!;
        var tickets = RiskTicket.Of(command);
        var (account, user, working) = reads.Limits.Value;
        var limits = RiskLimits.Resolve(_options, account, user);
        return RiskRules.Quantity(tickets, limits.MaxQuantity, accountId)
            ?? RiskRules.Notional(tickets, limits.MaxNotional)
            ?? working.Select(w => WorkingOrdersCounter.Check(accountId, w.Side, w.Working, limits.MaxWorkingOrdersPerContractSide)).FirstOrDefault(v => v is not null)
            ?? await DuplicateOrderGuard.CheckAsync(db, command, limits.DuplicateWindow, now, ct)
            ?? await RatesAsync(db, accountId, userId, limits, tickets.Count, now, ct)
            ?? WithReferenceChecks(tickets, limits);
    }

    /// <summary>
    /// The account's and the user's limit rows and the working orders of each contract and side the tickets name, read in
    /// the consumer's first batch (every checked order reads them; the counts are cheap even when a limit refuses first).
    /// </summary>
    private static BatchRead<RiskReads.LimitsAndWorking> LimitsRead(string accountId, string userId, IReadOnlyList<RiskTicket> tickets)
    {
        var sides = WorkingOrdersCounter.SidesOf(tickets);
        return new BatchRead<RiskReads.LimitsAndWorking>(
            [RiskLimitStore.Command(accountId, userId), .. sides.Select(side => WorkingOrdersCounter.Command(accountId, side))],
            async (reader, ct) =>
            {
                var (account, user) = await RiskLimitStore.ReadRowsAsync(reader, ct);
                var working = new List<(WorkingOrdersCounter.ContractSide, int)>(sides.Count);
                foreach (var side in sides)
                {
                    await reader.NextResultAsync(ct);
                    await reader.ReadAsync(ct);
                    working.Add((side, reader.GetInt32(0)));
                }

                return new RiskReads.LimitsAndWorking(account, user, working);
            });
    }

    /// <summary>
    /// Passed: the limits the order carries to its what-if when a ticket on the leader's contract needs IBKR's reference
    /// price (a market or trailing-stop order under a maximum notional with <c>Risk:ReferencePriceForMarketOrders=WhatIf</c>,
    /// a limit order under a price band). Tickets on other contracts keep the static checks only.
    /// </summary>
    private RiskVerdict? WithReferenceChecks(IReadOnlyList<RiskTicket> tickets, RiskLimits limits)
    {
        var maxNotionalForMarket = _options.ReferencePriceForMarketOrders == ReferencePriceSource.WhatIf ? limits.MaxNotional : null;
        var leaderConid = tickets[0].Conid;
        return tickets.Any(t => t.Conid == leaderConid && ReferencePriceRules.Needs(t, maxNotionalForMarket, limits.PriceBandPercent))
            ? new RiskVerdict(null, null, maxNotionalForMarket, limits.PriceBandPercent, true)
            : null;
    }

    private async Task<RiskVerdict?> RatesAsync(OrderProcessorDbContext db, string accountId, string userId, RiskLimits limits, int orders,
        DateTimeOffset now, CancellationToken ct)
    {
        var buckets = new List<RateBucket>(4);
        AddBucket(buckets, RiskLimits.AccountScope, accountId, RatePeriod.Second, limits.MaxOrdersPerSecondPerAccount);
        AddBucket(buckets, RiskLimits.AccountScope, accountId, RatePeriod.Minute, limits.MaxOrdersPerMinutePerAccount);
        AddBucket(buckets, RiskLimits.UserScope, userId, RatePeriod.Second, limits.MaxOrdersPerSecondPerUser);
        AddBucket(buckets, RiskLimits.UserScope, userId, RatePeriod.Minute, limits.MaxOrdersPerMinutePerUser);
        if (db.SpendsRatesWithTheSave && !_recentlyShort.AnyShort(buckets, now))
        {
            RateBuckets.SpendWithTheSave(db, buckets, orders, now);
            return null;
        }

        if (await RateBuckets.TrySpendAsync(db, buckets, orders, now, ct) is not { } refused)
        {
            return null;
        }

        _recentlyShort.Refused(refused, now);
        return new RiskVerdict(RejectionReasonCode.OrderRateExceeded, refused.Describe(), null, null, false);

        static void AddBucket(List<RateBucket> buckets, string scope, string key, RatePeriod period, int? capacity)
        {
            if (capacity is { } c)
            {
                buckets.Add(new RateBucket(scope, key, period, c));
            }
        }
    }

    // The first step, a halt covering the user or the account, decided as the lifecycle simulation decides it (HaltVerdict).
    private async Task<RiskVerdict?> HaltedAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct) =>
        HaltVerdict.Of(await halts.ActiveForAsync(db, userId, accountId, ct));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} refused by the pre-trade risk controls ({ReasonCode}): {Reason}")]
    private partial void LogRefused(Guid orderId, RejectionReasonCode reasonCode, string? reason);
}

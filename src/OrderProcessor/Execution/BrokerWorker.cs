using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Runs the IBKR work that orders are waiting for (margin checks, submissions, reconciliations, cancels, modifications).
/// Work is claimed from PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so several instances share it and a
/// crashed instance's work is picked up when its lease runs out. A submission is committed as Submitting before the
/// call; whatever the call's fate, the order is then either settled or reconciled, never sent blindly again.
/// </summary>
public sealed partial class BrokerWorker(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    IBrokerageGateway gateway,
    AccountDirectory accounts,
    UserSessionOwnership ownership,
    SagaStore store,
    BrokerWorkSignal signal,
    IOptions<LifecycleOptions> options,
    Telemetry.OrderProcessorMetrics metrics,
    TimeProvider timeProvider,
    ILogger<BrokerWorker> logger) : BackgroundService
{
    private readonly LifecycleOptions _options = options.Value;
    private readonly LifecycleSettings _settings = options.Value.ToSettings();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                var free = _options.MaxConcurrentWork - running.Count;
                var claimed = free > 0 ? await ClaimAsync(free, stoppingToken) : [];
                foreach (var work in claimed)
                {
                    running.Add(RunAsync(work, stoppingToken));
                }

                if (claimed.Count < free)
                {
                    await signal.WaitAsync(_options.WorkPollInterval, stoppingToken);
                }
                else if (running.Count > 0)
                {
                    await Task.WhenAny(running);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogClaimFailed(exception);
                await Task.Delay(_options.WorkPollInterval * 4, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Claims due work: begins each one (Submitting, MarginChecking or a lease) in one committed transaction.</summary>
    public async Task<List<ClaimedWork>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        // Work of users whose IBKR session another live instance holds is left to that instance.
        var leaders = await db.Orders.FromSql($"""
            SELECT o.*, o.xmin FROM orders o
            WHERE o.work_due <> 'None' AND o.work_due_at <= {now}
              AND NOT EXISTS (SELECT 1 FROM user_session_leases l
                              WHERE l.user_id = o.user_id AND l.owner <> {ownership.InstanceId} AND l.expires_at > {now})
            ORDER BY o.work_due_at
            LIMIT {limit}
            FOR UPDATE OF o SKIP LOCKED
            """).ToListAsync(cancellationToken);
        var owned = await ownership.TryOwnAsync(db, leaders.Select(l => l.UserId!).ToList(), cancellationToken);
        var groups = await SagaStore.LoadGroupsAsync(db, leaders.Where(l => owned.Contains(l.UserId!)).ToList(), cancellationToken);
        var claimed = new List<ClaimedWork>(groups.Count);
        foreach (var group in groups)
        {
            var leader = group[0];
            var work = leader.WorkDue;
            switch (work)
            {
                case OrderWork.Submit:
                    OrderTransitions.BeginSubmission(group, now, _settings);
                    break;
                case OrderWork.CheckMargin:
                    OrderTransitions.BeginMarginCheck(leader, now, _settings);
                    break;
                default:
                    leader.WorkDueAt = now + _settings.WorkLease;
                    break;
            }

            claimed.Add(new ClaimedWork(work, group));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.OrderProcessorTelemetry.StartWork("ibkr " + work.Work.ToString().ToLowerInvariant(), work.Leader.TraceParent, work.LeaderId, work.UserId);
        var started = timeProvider.GetTimestamp();
        var outcome = "completed";
        try
        {
            switch (work.Work)
            {
                case OrderWork.Submit:
                    await SubmitAsync(work, cancellationToken);
                    break;
                case OrderWork.Reconcile:
                    await ReconcileAsync(work, cancellationToken);
                    break;
                case OrderWork.CheckMargin:
                    await CheckMarginAsync(work, cancellationToken);
                    break;
                case OrderWork.Cancel:
                    await CancelAsync(work, cancellationToken);
                    break;
                case OrderWork.Modify:
                    await ModifyAsync(work, cancellationToken);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the work is taken up again (reconciled if it was a submission).
            outcome = "interrupted";
        }
        catch (Exception exception)
        {
            outcome = "error";
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.Message);
            LogWorkFailed(exception, work.Work, work.LeaderId);
        }
        finally
        {
            metrics.WorkDone(work.Work, outcome, timeProvider.GetElapsedTime(started));
        }
    }

    private async Task SubmitAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var group = work.Group;
        SubmissionOutcome outcome;
        try
        {
            outcome = await accounts.OwnsAsync(work.UserId, work.AccountId, cancellationToken)
                ? OutcomeTranslator.FromResult(
                    await gateway.PlaceOrderAsync(work.UserId, work.AccountId, TicketMapper.ForGroup(group), cancellationToken), group)
                : new SubmissionRejected(RejectionReasonCode.UnknownAccount,
                    $"account {work.AccountId} does not belong to user {work.UserId} at IBKR.", []);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = OutcomeTranslator.FromException(exception);
        }

        LogSubmitted(work.LeaderId, work.UserId, outcome.GetType().Name);
        await store.UpdateGroupAsync(work, g => OrderTransitions.CompleteSubmission(g, outcome, Stamp(g[0]), _settings), CancellationToken.None);
    }

    private async Task ReconcileAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var group = work.Group;
        var clientOrderIds = group.Select(o => o.ClientOrderId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<Brokerage.Ibkr.Orders.LiveOrder> live;
        try
        {
            live = await gateway.GetLiveOrdersAsync(work.UserId, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await store.UpdateGroupAsync(work, g =>
            {
                OrderTransitions.ReconcileFailed(g[0], OutcomeTranslator.FromReadException(exception).Reason, timeProvider.GetUtcNow(), _settings);
                return OrderDecision.Nothing;
            }, CancellationToken.None);
            return;
        }

        var found = live.Select(OutcomeTranslator.Observation)
            .Where(o => o is not null && clientOrderIds.Contains(o.ClientOrderId))
            .ToDictionary(o => o!.ClientOrderId, o => o!, StringComparer.Ordinal);
        if (found.Count == 0)
        {
            // Live orders list only this session's orders: one placed and filled in an earlier session is in the trades.
            try
            {
                var quantities = group.ToDictionary(o => o.ClientOrderId, o => o.Quantity ?? 0, StringComparer.Ordinal);
                foreach (var observation in OutcomeTranslator.FromTrades(await gateway.GetTradesAsync(work.UserId, 1, cancellationToken), quantities))
                {
                    found[observation.ClientOrderId] = observation;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await store.UpdateGroupAsync(work, g =>
                {
                    OrderTransitions.ReconcileFailed(g[0], OutcomeTranslator.FromReadException(exception).Reason, timeProvider.GetUtcNow(), _settings);
                    return OrderDecision.Nothing;
                }, CancellationToken.None);
                return;
            }
        }
        LogReconciled(work.LeaderId, found.Count);
        await store.UpdateGroupAsync(work, g => OrderTransitions.Reconcile(g, found, Stamp(g[0]), _settings), CancellationToken.None);
    }

    private async Task CheckMarginAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var group = work.Group;
        try
        {
            var figures = OutcomeTranslator.Figures(await gateway.WhatIfAsync(work.UserId, work.AccountId, TicketMapper.ForGroup(group), cancellationToken));
            await store.UpdateGroupAsync(work, g => OrderTransitions.CompleteMarginCheck(g, figures, Stamp(g[0]), _settings), CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = OutcomeTranslator.FromReadException(exception);
            await store.UpdateGroupAsync(work, g => OrderTransitions.MarginCheckFailed(g, failure, Stamp(g[0]), _settings), CancellationToken.None);
        }
    }

    private async Task CancelAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        try
        {
            var result = await gateway.CancelOrderAsync(work.UserId, work.AccountId, order.BrokerOrderId!, cancellationToken);
            await store.UpdateGroupAsync(work, g =>
            {
                OrderTransitions.CompleteCancel(g[0], result.Requested, result.RejectionText);
                return OrderDecision.Nothing;
            }, CancellationToken.None);
        }
        catch (BrokerageException exception) when (exception.IsSafeToRepeat)
        {
            await store.UpdateGroupAsync(work, g =>
            {
                OrderTransitions.RetryCancel(g[0], exception.Message, timeProvider.GetUtcNow(), _settings);
                return OrderDecision.Nothing;
            }, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The cancel may have reached IBKR; the status poll shows what became of the order.
            await store.UpdateGroupAsync(work, g =>
            {
                OrderTransitions.CompleteCancel(g[0], sent: true, exception.Message);
                return OrderDecision.Nothing;
            }, CancellationToken.None);
        }
    }

    private async Task ModifyAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        var order = work.Leader;
        SubmissionOutcome outcome;
        try
        {
            var ticket = TicketMapper.For(order, OrderTransitions.PendingModification(order));
            outcome = OutcomeTranslator.FromResult(
                await gateway.ModifyOrderAsync(work.UserId, work.AccountId, order.BrokerOrderId!, ticket, cancellationToken), [order]);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = OutcomeTranslator.FromException(exception);
        }

        await store.UpdateGroupAsync(work, g => OrderTransitions.CompleteModify(g[0], outcome, Stamp(g[0]), _settings), CancellationToken.None);
    }

    private EventStamp Stamp(OrderSaga order) =>
        EventStamp.Create(timeProvider.GetUtcNow(), order.CorrelationId, Guid.CreateVersion7(timeProvider.GetUtcNow()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker worker could not claim work; trying again")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Work} of order {OrderId} failed unexpectedly; its lease will run out and it will be taken up again")]
    private partial void LogWorkFailed(Exception exception, OrderWork work, Guid orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} of user {UserId} sent to IBKR: {Outcome}")]
    private partial void LogSubmitted(Guid orderId, string userId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciling order {OrderId}: {Found} of its orders found in IBKR's live orders")]
    private partial void LogReconciled(Guid orderId, int found);
}

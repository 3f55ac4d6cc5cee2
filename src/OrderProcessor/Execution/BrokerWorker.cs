using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Execution.Work;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// Runs the IBKR work that orders are waiting for. Work is claimed from the store (<see cref="IOrderStore.ClaimDueWorkAsync"/>:
/// a lease and a claim token committed before any call), so several instances share it and a crashed instance's work
/// is taken up when its lease runs out; each kind of work is a class of its own (<see cref="IBrokerWork"/>). Claims are
/// fair: a user holds at most its share of the slots, and its cancels and modifications are claimed before its new
/// placements (<see cref="ClaimBudget"/>, <see cref="WorkPriority"/>).
/// </summary>
public sealed partial class BrokerWorker(
    IOrderStore store,
    IEnumerable<IBrokerWork> kinds,
    IMarginCheckQueue marginChecks,
    StandaloneMarginCheckWork marginCheckWork,
    BrokerWorkSignal signal,
    IOptions<LifecycleOptions> options,
    Telemetry.OrderProcessorMetrics metrics,
    TimeProvider timeProvider,
    ILogger<BrokerWorker> logger,
    Brokerage.Streaming.IOrderStreams? streams = null,
    Brokerage.Availability.IIbkrAvailability? availability = null) : BackgroundService
{
    private readonly LifecycleOptions _options = options.Value;
    private readonly Dictionary<OrderWork, IBrokerWork> _kinds = kinds.ToDictionary(k => k.Kind);

    // Cancelled only when a shutdown's drain time is over: work under way finishes and records its answer first.
    private readonly CancellationTokenSource _drain = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // IBKR back for some users: their held orders are due at once (the claim releases them in arrival order).
        if (availability is not null)
        {
            availability.Released += WakeOnRelease;
        }

        try
        {
            await WorkUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            if (availability is not null)
            {
                availability.Released -= WakeOnRelease;
            }
        }
    }

    private void WakeOnRelease(IReadOnlyCollection<string> users) => signal.Notify();

    private async Task WorkUntilStoppedAsync(CancellationToken stoppingToken)
    {
        var running = new List<(Task Task, string UserId, bool Stops)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(r => r.Task.IsCompleted);
                var free = _options.MaxConcurrentWork - running.Count;
                // A claim is not cut by the shutdown: once it may have committed, its work must run (and be drained
                // below). Cut between its commit and its answer, its orders would stay claimed by nobody until the work
                // lease ran out, and be reconciled by the next holder. A claim is one short transaction.
                var claimed = free > 0 ? await store.ClaimDueWorkAsync(Budget(free, running), CancellationToken.None) : [];
                foreach (var work in claimed)
                {
                    if (work.Work == OrderWork.Submit)
                    {
                        // The poller follows only users with orders IBKR has: an idle user's first order would go out
                        // before its socket is even asked for, and its fill would wait for a REST read.
                        streams?.Follow(work.UserId, work.Epoch);
                    }

                    var stops = WorkPriority.Of(work.Work, work.Leader.CancelRequested) == WorkPriority.Stop;
                    running.Add((RunAsync(work, _drain.Token), work.UserId, stops));
                    // A stop holds back its user's placements, and so does a held order being released (the next one
                    // follows when it is done, in arrival order).
                    WakeWhenHeldBackWorkIsFreed(running, work.UserId, endFreesOthers: stops || work.Leader.HeldSince is not null);
                }

                var checks = free > claimed.Count ? await marginChecks.ClaimDueAsync(free - claimed.Count, CancellationToken.None) : [];
                foreach (var (request, token, epoch) in checks)
                {
                    running.Add((RunMarginCheckAsync(request, token, epoch, _drain.Token), request.UserId, false));
                    WakeWhenHeldBackWorkIsFreed(running, request.UserId, endFreesOthers: false);
                }

                if (claimed.Count + checks.Count < free)
                {
                    // Less due than room (or users at their share): woken by new work, by a result that leaves work due
                    // or releases held orders, by the end of work that held a user's work back, or by the next look.
                    await signal.WaitAsync(_options.WorkPollInterval, stoppingToken);
                }
                else if (running.Count > 0)
                {
                    await Task.WhenAny(running.Select(r => r.Task));
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

        // Shutting down: nothing new is claimed; what is under way may finish within the drain time.
        var underWay = running.Select(r => r.Task).Where(t => !t.IsCompleted).ToList();
        if (underWay.Count > 0)
        {
            LogDraining(underWay.Count, _options.DrainTimeout);
            _drain.CancelAfter(_options.DrainTimeout);
            await Task.WhenAll(underWay).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            LogDrained(underWay.Count(t => t.IsCompletedSuccessfully));
        }
    }

    public override void Dispose()
    {
        _drain.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The claims hold back a user's due work while the user has its share running here, its placements while a stop (a
    /// cancel or a modification) runs, and its next held order while one is being released (the claim wants no work of the
    /// user running here then): when such work ends, the worker looks again. It ends after its result is written, and the
    /// result itself wakes the worker only when it leaves work due or takes an order out of a holding status
    /// (<see cref="PostgresOrderStore"/>); that wake can come before the work has ended, and the claim it makes still
    /// counts the work as running. A continuation runs once the task has completed, so the next look counts it out.
    /// Not covered: a user released after a hold whose other work (a plain send, a settlement) runs here holds back its
    /// next held order until the worker's next look (<c>Lifecycle:WorkPollInterval</c>).
    /// </summary>
    private void WakeWhenHeldBackWorkIsFreed(List<(Task Task, string UserId, bool Stops)> running, string userId, bool endFreesOthers)
    {
        var ofUser = running.Where(r => r.UserId == userId).Select(r => r.Task).ToList();
        if (ofUser.Count >= _options.MaxConcurrentWorkPerUser)
        {
            // At its share: whichever of its work ends first frees it.
            ofUser.ForEach(WakeWhenDone);
        }
        else if (endFreesOthers)
        {
            WakeWhenDone(ofUser[^1]);
        }
    }

    private void WakeWhenDone(Task work) =>
        _ = work.ContinueWith(static (_, state) => ((BrokerWorkSignal)state!).Notify(), signal, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// This claim's budget: the free slots, and for each user its share (<see cref="LifecycleOptions.MaxConcurrentWorkPerUser"/>)
    /// less what this process already runs for it (its work waits in the user's serialised gate in the guard anyway);
    /// no new placement of a user whose cancel or modification is under way.
    /// </summary>
    private ClaimBudget Budget(int free, List<(Task Task, string UserId, bool Stops)> running) =>
        new(free, _options.MaxConcurrentWorkPerUser,
            running.GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            running.Where(r => r.Stops).Select(r => r.UserId).Distinct(StringComparer.Ordinal).ToList());

    private async Task RunAsync(ClaimedWork work, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.OrderProcessorTelemetry.StartWork("ibkr " + work.Work.ToString().ToLowerInvariant(), work.Leader.TraceParent, work.LeaderId, work.UserId);
        var started = timeProvider.GetTimestamp();
        var outcome = "completed";

        // The calls must end inside the lease: past it, another worker may take the order up.
        using var deadline = new CancellationTokenSource(LifecycleOptions.CallDeadline(_options.WorkLease), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _kinds[work.Work].RunAsync(work, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Shutting down, or the lease is nearly over: the lease runs out and the work is taken up again (reconciled
            // if it was a submission).
            outcome = cancellationToken.IsCancellationRequested ? "interrupted" : "deadline";
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

    private async Task RunMarginCheckAsync(Orders.MarginCheckRequest request, Guid token, long epoch, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = "completed";
        using var deadline = new CancellationTokenSource(LifecycleOptions.CallDeadline(_options.WorkLease), timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await marginCheckWork.RunAsync(request, token, epoch, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            outcome = cancellationToken.IsCancellationRequested ? "interrupted" : "deadline";
        }
        catch (Exception exception)
        {
            outcome = "error";
            LogWorkFailed(exception, OrderWork.CheckMargin, request.CheckId);
        }
        finally
        {
            metrics.WorkDone(OrderWork.CheckMargin, outcome, timeProvider.GetElapsedTime(started));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: letting {Count} IBKR call(s) under way finish (at most {DrainTimeout})")]
    private partial void LogDraining(int count, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Completed} call(s) finished and recorded their answers")]
    private partial void LogDrained(int completed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker worker could not claim work; trying again")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Work} of order {OrderId} failed unexpectedly; its lease will run out and it will be taken up again")]
    private partial void LogWorkFailed(Exception exception, OrderWork work, Guid orderId);
}

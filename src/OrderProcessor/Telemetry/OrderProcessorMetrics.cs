using System.Diagnostics.Metrics;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Orders;

namespace OrderProcessor.Telemetry;

/// <summary>
/// The processor's metrics (meter <c>OrderProcessor</c>): events written by type, IBKR work by kind and outcome with
/// its duration, saga update conflicts. Orders by state, the oldest order in progress and the outbox lag are observed from
/// PostgreSQL by <see cref="DatabaseGauges"/>.
/// </summary>
public sealed class OrderProcessorMetrics : IDisposable
{
    public const string MeterName = "OrderProcessor";

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _work;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _commandsRefused;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _reconciliations;
    private readonly Counter<long> _liveOrderReads;
    private readonly Counter<long> _streamObservations;
    private readonly Counter<long> _executionsReplayed;

    public OrderProcessorMetrics(IMeterFactory meterFactory, DatabaseGauges gauges)
    {
        _meter = meterFactory.Create(MeterName);
        _events = _meter.CreateCounter<long>("orderprocessor.events.written", description: "Order events written to the outbox, by type");
        _work = _meter.CreateDurationHistogram("orderprocessor.ibkr.work.duration",
            "IBKR work of the broker worker (submit, reconcile, margin check, cancel, modify) by outcome");
        _conflicts = _meter.CreateCounter<long>("orderprocessor.saga.conflicts",
            description: "Saga updates that found an order changed by another writer and were decided again on a fresh read");
        _refused = _meter.CreateCounter<long>("orderprocessor.results.refused",
            description: "Results of IBKR work not written because this instance no longer held the user's session lease under the work's epoch");
        _commandsRefused = _meter.CreateCounter<long>("orderprocessor.commands.refused",
            description: "Commands refused before they were decided, by command and reason (UpstreamNotAuthorized, ConflictingDuplicate, ValidationFailed for an oversized message)");
        _meter.CreateObservableGauge("orderprocessor.orders", gauges.OrdersByState, description: "Orders by state (refreshed every 10 s)");
        _meter.CreateObservableGauge("orderprocessor.orders.in_progress.oldest", gauges.OldestInProgress, unit: "s",
            description: "Per state the processor moves on by itself (Received, MarginChecking, MarginApproved, Submitting, PendingCancel): how long its least recently changed order has had no event (its creation when it has none; claims and retries do not count as changes; refreshed every 10 s)");
        _meter.CreateObservableGauge("orderprocessor.outbox.lag", gauges.OutboxLag, unit: "s",
            description: "Age of the oldest unpublished outbox row that is not parked or held behind a parked row of its order");
        _parked = _meter.CreateCounter<long>("orderprocessor.outbox.parkings",
            description: "Outbox rows the relay parked (could not be published as they are), by cause");
        _meter.CreateObservableGauge("orderprocessor.halts.active", gauges.ActiveHalts,
            description: "Active trading halts (kill switch) by scope: all, account, user (refreshed every 10 s)");
        _meter.CreateObservableGauge("orderprocessor.outbox.parked", gauges.OutboxParked,
            description: "Outbox rows parked now (each holds back the later events of its order until retried)");
        _reconciliations = _meter.CreateCounter<long>("orderprocessor.reconciliations",
            description: "REST reads of a user's live orders started by the status poller or the stream intake, by cause (SafetyInterval, PollingOnly, BeforeSubscribe, Subscribed, Dropped, HeartbeatMissed, Malformed, SessionReinitialised, Competing, Shutdown, Unlisted, Unwritten)");
        _liveOrderReads = _meter.CreateCounter<long>("orderprocessor.ibkr.live_orders.reads",
            description: "Reads of live orders sent to IBKR (one read may answer several callers; the cause is on orderprocessor.reconciliations)");
        _streamObservations = _meter.CreateCounter<long>("orderprocessor.stream.observations",
            description: "Order reports from the websocket, by source (sor, str) and outcome (applied, nochange, retained: the order was still being sent, refused: written under a lease epoch no longer held)");
        _executionsReplayed = _meter.CreateCounter<long>("orderprocessor.stream.executions.replayed",
            description: "Executions the websocket sent again (same execution id; IBKR replays the day's executions on every subscription): counted once");
    }

    public void EventsWritten(OrderDecision decision)
    {
        foreach (var (_, orderEvent) in decision.Events)
        {
            _events.Add(1, new KeyValuePair<string, object?>("type", orderEvent.GetType().Name));
        }
    }

    public void WorkDone(OrderWork work, string outcome, TimeSpan duration) =>
        _work.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("work", work.ToString()), new KeyValuePair<string, object?>("outcome", outcome));

    public void SagaConflict() => _conflicts.Add(1);

    public void ResultRefused() => _refused.Add(1);

    public void CommandRefused(string command, Contracts.RejectionReasonCode reason) =>
        _commandsRefused.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("reason", reason.ToString()));

    public void RowParked(Outbox.OutboxParkCause cause) => _parked.Add(1, new KeyValuePair<string, object?>("cause", cause.ToString()));

    public void Reconciled(Execution.ReconcileCause cause) => _reconciliations.Add(1, new KeyValuePair<string, object?>("cause", cause.ToString()));

    public void LiveOrdersRead() => _liveOrderReads.Add(1);

    public void StreamObservations(string source, string outcome, int count)
    {
        if (count > 0)
        {
            _streamObservations.Add(count, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void ExecutionsReplayed(int count)
    {
        if (count > 0)
        {
            _executionsReplayed.Add(count);
        }
    }

    public void Dispose() => _meter.Dispose();
}

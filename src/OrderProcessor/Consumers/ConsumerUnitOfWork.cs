using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Inbox;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// What every command consumer does around its decision: the inbox check, the gate (size, upstream authorization), the
/// saga change and its outbox events in one transaction, then waking the relay and the broker worker.
/// </summary>
public sealed partial class ConsumerUnitOfWork(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    OutboxSignal outboxSignal,
    BrokerWorkSignal workSignal,
    Telemetry.OrderProcessorMetrics metrics,
    UpstreamAuthorization upstreams,
    IOptions<ConsumerOptions> consumerOptions,
    TimeProvider timeProvider,
    ILogger<ConsumerUnitOfWork> logger)
{
    /// <summary>
    /// Runs <paramref name="decide"/> once per message id; returns its decision, or null for a repeated delivery. With
    /// <paramref name="orderIds"/>, the unit of work holds a transaction-scoped lock on each of those order ids from the
    /// first read to the commit, so two commands about one order (a PlaceOrder and a CancelOrder that overtook it, on
    /// different queues) are decided one after the other, never on two stale reads. Before deciding, <paramref name="gate"/>
    /// refuses a command that reuses another command's message id (<c>ConflictingDuplicate</c>), one larger than
    /// <c>Consumers:MaxMessageBytes</c>, and one from an upstream that may not act for its user (<c>UpstreamNotAuthorized</c>):
    /// each with a short OrderRejected of its own, nothing stored of the command and nothing sent to IBKR.
    /// <paramref name="lockKeys"/> are further keys locked the same way (e.g. <c>risk-account:{AccountId}</c>), all keys
    /// taken in one ordinal order with the order ids. <paramref name="reads"/> go to PostgreSQL in the same round trip as
    /// the locks and the inbox check, after them (so they see what a lock's previous holder committed); their values are
    /// there when <paramref name="decide"/> runs.
    /// </summary>
    public async Task<OrderDecision?> RunAsync<TMessage>(ConsumeContext<TMessage> context, string consumer, CommandGate gate,
        Func<OrderProcessorDbContext, EventStamp, Task<OrderDecision>> decide, IReadOnlyCollection<Guid>? orderIds = null,
        IReadOnlyCollection<string>? lockKeys = null, IReadOnlyList<BatchRead>? reads = null)
        where TMessage : class =>
        await RunCoreAsync(context, consumer, gate, CommandFingerprint.Of(context.Message), decide, orderIds, lockKeys, reads);

    /// <summary>
    /// Answers a command whose JSON does not bind to its contract type but whose id could be read (see
    /// <see cref="CommandBinding"/>): through the same inbox and gates as a bound command, then an OrderRejected
    /// (<c>ValidationFailed</c>, the field, rule <c>type</c>) outside any order's chain, nothing of the command stored.
    /// With <paramref name="existingIdConflicts"/> (a PlaceOrder), an order that already exists under the id is answered
    /// <c>ConflictingDuplicate</c> instead, as a bound PlaceOrder with other content is: the order is unaffected.
    /// A redelivery is a repeat (null); a later, readable command under the same id is decided as if this one had never come.
    /// </summary>
    public async Task<OrderDecision?> RefuseUnboundAsync(ConsumeContext context, string consumer, CommandGate gate, UnboundCommand command,
        bool existingIdConflicts = false)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(command);
        return await RunCoreAsync(context, consumer, gate, command.ContentHash, async (db, stamp) =>
        {
            if (existingIdConflicts && await db.Orders.AsNoTracking().AnyAsync(o => o.OrderId == command.Id, context.CancellationToken))
            {
                metrics.CommandRefused(gate.Command, RejectionReasonCode.ConflictingDuplicate);
                LogUnboundExisting(gate.Command, command.Id, command.Field);
                return gate.Refuse(RejectionReasonCode.ConflictingDuplicate,
                    $"order {command.Id} already exists with different content; the existing order is unaffected.", [], stamp);
            }

            metrics.CommandRefused(gate.Command, RejectionReasonCode.ValidationFailed);
            LogUnbound(gate.Command, command.Id, command.Field);
            return gate.Refuse(RejectionReasonCode.ValidationFailed,
                $"the {gate.Command} could not be read: {command.Message} Nothing of it was processed.",
                [new FieldViolation(command.Field, "type", command.Message)], stamp);
        }, existingIdConflicts ? [command.Id] : null);
    }

    private async Task<OrderDecision?> RunCoreAsync(ConsumeContext context, string consumer, CommandGate gate, string contentHash,
        Func<OrderProcessorDbContext, EventStamp, Task<OrderDecision>> decide, IReadOnlyCollection<Guid>? orderIds = null,
        IReadOnlyCollection<string>? lockKeys = null, IReadOnlyList<BatchRead>? reads = null)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var cancellationToken = context.CancellationToken;
        var messageId = context.MessageId ?? Guid.Parse(contentHash.AsSpan(0, 32));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A first attempt spends the order-rate tokens of an order it accepts with its save (one round trip fewer); a
        // retry, which follows a short bucket among other causes, spends them before deciding (Risk/RateBuckets).
        db.SpendsRatesWithTheSave = context.GetRetryAttempt() == 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var keys = (orderIds ?? []).Where(id => id != Guid.Empty).Select(id => id.ToString()).Concat(lockKeys ?? [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var seen = await LockAndCheckInboxAsync(db, keys, messageId, consumer, contentHash, reads ?? [], cancellationToken);
        // Read once the locks are held: a unit of work that waited for another's commit is stamped after it.
        var now = timeProvider.GetUtcNow();
        var stamp = EventStamp.Create(now, context.CorrelationId ?? context.ConversationId ?? messageId, messageId);
        OrderDecision decision;
        if (seen == InboxVerdict.Repeat)
        {
            return null;
        }

        if (seen == InboxVerdict.Conflicting)
        {
            // Loud, never silent: a different command under a seen message id would otherwise be an order lost without an event.
            metrics.CommandRefused(gate.Command, RejectionReasonCode.ConflictingDuplicate);
            LogConflictingDuplicate(gate.Command, messageId);
            decision = gate.Refuse(RejectionReasonCode.ConflictingDuplicate,
                $"message id {messageId} was already used by a different {gate.Command}; this command was not processed and the first one is unaffected. Publish it again under a new message id.",
                [new FieldViolation("messageId", "unique", "messageId must be new for every different command.")], stamp);
        }
        else if (BodyLength(context) is var length && length > consumerOptions.Value.MaxMessageBytes)
        {
            metrics.CommandRefused(gate.Command, RejectionReasonCode.ValidationFailed);
            LogTooLarge(gate.Command, messageId, length, consumerOptions.Value.MaxMessageBytes);
            decision = gate.Refuse(RejectionReasonCode.ValidationFailed,
                $"the {gate.Command} message is {length} bytes; at most {consumerOptions.Value.MaxMessageBytes} are accepted. Nothing of it was processed.",
                [new FieldViolation("(message)", "max-bytes", $"the message must be at most {consumerOptions.Value.MaxMessageBytes} bytes (was {length}).")], stamp);
        }
        else if (upstreams.Mode == UpstreamAuthorizationMode.Enforced && gate.UserGrantsApply
            && await upstreams.RefusalAsync(db, UpstreamAuthorization.UpstreamOf(context), await gate.SubjectOf(db, cancellationToken), gate.Command, cancellationToken) is { } refusal)
        {
            metrics.CommandRefused(gate.Command, RejectionReasonCode.UpstreamNotAuthorized);
            decision = gate.Refuse(RejectionReasonCode.UpstreamNotAuthorized, refusal, [], stamp);
        }
        else
        {
            decision = await decide(db, stamp);
        }

        foreach (var order in decision.Created)
        {
            order.TraceParent = System.Diagnostics.Activity.Current?.Id;
        }

        // Armed for the save, so added after the decision's reads (an armed row goes with the next command, which must be the save's).
        if (seen == InboxVerdict.New)
        {
            MessageInbox.Record(db, messageId, consumer, contentHash, now);
        }

        db.Orders.AddRange(decision.Created);
        OutboxWriter.Append(db, decision);
        await db.SaveChangesAsync(cancellationToken);
        await Risk.RateBuckets.SpendArmedAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.EventsWritten(decision);
        if (decision.Events.Count > 0)
        {
            outboxSignal.Notify();
        }

        workSignal.Notify();
        return decision;
    }

    /// <summary>
    /// The advisory locks on <paramref name="keys"/>, then the inbox check, then the consumer's <paramref name="reads"/>: one
    /// batch, one round trip. Still separate statements: under READ COMMITTED each takes its snapshot when it starts, so the
    /// reads, which start once every lock is granted, see what the unit of work that held a lock committed (one statement
    /// doing both would read with the snapshot taken before the wait). A repeated delivery wastes the reads: rare, and cheap.
    /// </summary>
    private static async Task<InboxVerdict> LockAndCheckInboxAsync(OrderProcessorDbContext db, string[] keys, Guid messageId, string consumer,
        string contentHash, IReadOnlyList<BatchRead> reads, CancellationToken cancellationToken)
    {
        await using var batch = await ContextCommand.CreateBatchAsync(db, cancellationToken);
        if (keys.Length > 0)
        {
            // All keys in one statement, taken in one stable order (the array's, by its ordinality), so two units of
            // work locking overlapping keys cannot deadlock.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended(k.key, 0)) FROM unnest($1) WITH ORDINALITY AS k(key, n) ORDER BY k.n")
            {
                Parameters = { new NpgsqlParameter<string[]> { TypedValue = keys } },
            });
        }

        batch.BatchCommands.Add(MessageInbox.Command(messageId, consumer));
        BatchRead.AddTo(batch, reads);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (keys.Length > 0)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        var verdict = await MessageInbox.ReadVerdictAsync(reader, contentHash, cancellationToken);
        await BatchRead.ReadAllAsync(reader, reads, first: false, cancellationToken);
        return verdict;
    }

    private static long BodyLength(ConsumeContext context) => context.ReceiveContext.Body.Length ?? context.ReceiveContext.Body.GetBytes().LongLength;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} with message id {MessageId} reuses the message id of a different command: refused as ConflictingDuplicate, the first command is unaffected")]
    private partial void LogConflictingDuplicate(string command, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for {Id} does not bind to its contract ({Field} has the wrong JSON type or range): refused as ValidationFailed")]
    private partial void LogUnbound(string command, Guid id, string field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} for {Id} does not bind to its contract ({Field}) and an order of that id already exists: refused as ConflictingDuplicate")]
    private partial void LogUnboundExisting(string command, Guid id, string field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} with message id {MessageId} is {Length} bytes, above Consumers:MaxMessageBytes ({Max}): refused")]
    private partial void LogTooLarge(string command, Guid messageId, long length, int max);
}

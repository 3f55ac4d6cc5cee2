using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OrderProcessor.Consumers;

/// <summary>
/// The retry policy every consumer that writes to PostgreSQL shares.
/// <list type="bullet">
/// <item>An unreachable database is retried with a capped exponential backoff for as long as it lasts: the message
/// stays unacknowledged, so a crash meanwhile redelivers it.</item>
/// <item>Conflicts (optimistic concurrency, serialization failure, deadlock, a unique-key race between two deliveries,
/// a user whose IBKR session another instance holds, an order-rate bucket found short by the spend that rode with the
/// save) are retried a bounded number of times: each retry re-reads the state and usually finds there is nothing to do,
/// that the other instance's lease has passed, or (a short bucket) spends first and refuses.</item>
/// <item>Any other exception faults the message at once: it is a bug, and the message waits in <c>_error</c>.</item>
/// </list>
/// </summary>
public static class DatabaseRetry
{
    public const int ConflictRetryLimit = 20;

    public static void UseDatabaseRetry(this IReceiveEndpointConfigurator endpoint)
    {
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(IsOutage);
            retry.Exponential(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(IsConflict);
            retry.Exponential(ConflictRetryLimit, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
        });
    }

    /// <summary>
    /// The same policy around one piece of work, for work that runs before MassTransit's per-message retry filters (the
    /// answer to a command that does not bind, <see cref="UnboundCommandFilter{TCommand}"/>): outages retried for as
    /// long as they last, conflicts <see cref="ConflictRetryLimit"/> times, anything else thrown at once.
    /// </summary>
    public static async Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (outages, conflicts) = (0, 0);
        while (true)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception exception) when (IsOutage(exception) || (IsConflict(exception) && conflicts < ConflictRetryLimit))
            {
                var delay = IsOutage(exception)
                    ? TimeSpan.FromMilliseconds(Math.Min(15_000, 200 * Math.Pow(2, Math.Min(outages++, 7))))
                    : TimeSpan.FromMilliseconds(Math.Min(1_000, 10 * Math.Pow(2, conflicts++)));
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    internal static bool IsConflict(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        // An order accepted on the first attempt whose rate tokens, spent with its save, were short: nothing committed,
        // and the retry spends them before deciding, which refuses it unless the bucket refilled (Risk/RateBuckets).
        PostgresException { SqlState: Persistence.RateSpendCall.ShortSqlState or Persistence.OrderUpdateSave.ConflictSqlState } => true,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation,
        DbUpdateException { InnerException: { } inner } => IsConflict(inner),
        _ => false,
    };

    internal static bool IsOutage(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient && !IsConflict(postgres),

        // With several hosts in the connection string (a primary and its standby), none answered as a primary: a
        // failover under way, not a bad message. Npgsql says so with an aggregate of each host's failure or, when it
        // skipped hosts it already knew to be down or standbys, with this message alone (it has no type of its own).
        NpgsqlException { InnerException: AggregateException hosts } => hosts.InnerExceptions.All(IsOutage),
        NpgsqlException { InnerException: null } npgsql when npgsql is not PostgresException &&
            npgsql.Message.StartsWith("No suitable host", StringComparison.Ordinal) => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        DbUpdateException { InnerException: { } inner } and not DbUpdateConcurrencyException => IsOutage(inner),
        InvalidOperationException { InnerException: { } inner } => IsOutage(inner),
        _ => false,
    };
}

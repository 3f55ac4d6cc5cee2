using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Host;

/// <summary>
/// At start, without <c>Database:MigrateOnStart</c>: a database that lacks migrations of this build stops the host,
/// naming them and how to apply them, before anything consumes a command (the first statement on a missing table or
/// column would otherwise fail every order, one dead-lettered command at a time). A database that cannot be reached is
/// not a reason to stop: the host starts, its readiness reports the database, and it works once the database answers.
/// </summary>
internal static partial class SchemaCheck
{
    /// <summary>How long the check waits for the database before leaving it to readiness.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task<bool> IsCurrentAsync(IDbContextFactory<OrderProcessorDbContext> dbFactory, ILogger logger, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> pending;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            pending = await DatabaseMigrator.PendingAsync(dbFactory, patience.Token);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException
                                              or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
        {
            LogUnchecked(logger, exception.GetBaseException().Message);
            return true;
        }

        if (pending.Count == 0)
        {
            return true;
        }

        LogBehind(logger, pending.Count, string.Join(", ", pending));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "OrderProcessor cannot start: the database lacks {Count} migration(s) of this build ({Migrations}). " +
        "Apply them with `orders db migrate` (or the SQL of `dotnet ef migrations script --idempotent`), or start with Database:MigrateOnStart=true")]
    private static partial void LogBehind(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database's schema could not be checked at start ({Reason}): starting; /health/ready reports the database until it answers")]
    private static partial void LogUnchecked(ILogger logger, string reason);
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Host;

/// <summary>
/// At start, without <c>Database:MigrateOnStart</c>: a database that lacks migrations of this build stops the host
/// (<see cref="StartupSettings.InvalidExitCode"/>), naming them and how to apply them, before anything consumes a command
/// (the first statement on a missing table or column would otherwise fail every order, one dead-lettered command at a
/// time). A database that does not answer within 10 s, or does not exist, stops it too, with one line saying why and
/// <see cref="UnavailableExitCode"/> for a supervisor to start it again: the host's services need the database to start
/// (before this check, that was an unhandled exception and its stack trace).
/// </summary>
internal static partial class SchemaCheck
{
    /// <summary>The process's exit code when the database cannot be reached at start (EX_TEMPFAIL of sysexits.h).</summary>
    public const int UnavailableExitCode = 75;

    /// <summary>How long the check waits for the database.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Null when the schema is current; otherwise the exit code the host stops with, the reason logged.</summary>
    public static async Task<int?> FailureAsync(IDbContextFactory<OrderProcessorDbContext> dbFactory, ILogger logger, CancellationToken cancellationToken)
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
            LogUnreachable(logger, Patience.TotalSeconds, exception.GetBaseException().Message);
            return UnavailableExitCode;
        }

        if (pending.Count == 0)
        {
            return null;
        }

        LogBehind(logger, pending.Count, string.Join(", ", pending));
        return StartupSettings.InvalidExitCode;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "OrderProcessor cannot start: the database lacks {Count} migration(s) of this build ({Migrations}). " +
        "Apply them with `orders db migrate` (or the SQL of `dotnet ef migrations script --idempotent`), or start with Database:MigrateOnStart=true")]
    private static partial void LogBehind(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Critical, Message = "OrderProcessor cannot start: the database could not be reached within {Seconds} s to check its schema ({Reason})")]
    private static partial void LogUnreachable(ILogger logger, double seconds, string reason);
}

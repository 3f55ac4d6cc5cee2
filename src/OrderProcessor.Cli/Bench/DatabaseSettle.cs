using Npgsql;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Brings the benchmark's database to the same state before each set of steady rates: the order tables vacuumed and
/// analysed (as autovacuum keeps a database that grew over a day), then a checkpoint. Both sets (the empty database's and
/// the preloaded one's) then start at the same point of PostgreSQL's checkpoint cycle: after a checkpoint the first write
/// to each page logs the whole page (a full-page image), so a set measured just after one pays for every page it touches
/// first, and a set measured late in a cycle for none. The difference between the two sets is then the day's, not the
/// cycle's.
/// </summary>
public static class DatabaseSettle
{
    private static readonly string[] Tables = ["orders", "outbox_messages", "inbox_messages"];

    public static async Task RunAsync(string connectionString, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[grey]vacuuming, analysing and checkpointing the order tables[/]");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var table in Tables)
        {
            await ExecuteAsync(connection, $"VACUUM (ANALYZE) {table}", timeoutSeconds: 1800, cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, "CHECKPOINT", timeoutSeconds: 600, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]CHECKPOINT needs the pg_checkpoint role; the sets of steady rates start at different points of the checkpoint cycle: {exception.MessageText}[/]");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

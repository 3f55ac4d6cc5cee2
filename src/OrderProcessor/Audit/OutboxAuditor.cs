using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>Runs <see cref="AuditVerifier"/> over the whole outbox in PostgreSQL, or over rows read back from JSON lines.</summary>
public static class OutboxAuditor
{
    /// <summary>
    /// Verifies every row of the database: the chains order by order (keyset over their unique index, compared with
    /// each order's saga row), then the standalone rows, then the saga rows whose events are all gone. Memory stays
    /// bounded by the batch size.
    /// </summary>
    public static async Task<AuditReport> VerifyDatabaseAsync(OutboxRowSource source, Action<AuditProgress>? progress,
        CancellationToken cancellationToken, AuditVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var total = progress is null ? (long?)null : await source.CountAllAsync(cancellationToken);
        var verifier = new AuditVerifier(options);
        var every = Math.Max(1, source.BatchSize / 5);
        await foreach (var (row, end) in source.ReadChainsAsync(cancellationToken))
        {
            verifier.Add(row, end);
            Report(verifier, progress, total, every);
        }

        await foreach (var row in source.ReadStandaloneAsync(cancellationToken))
        {
            verifier.Add(row);
            Report(verifier, progress, total, every);
        }

        await foreach (var (orderId, end) in source.ReadOrdersWithoutEventsAsync(cancellationToken))
        {
            verifier.AddOrderWithoutEvents(orderId, end);
        }

        var report = verifier.Complete();
        progress?.Invoke(new AuditProgress(report.RowsChecked, total, report.BreakCount));
        return report;
    }

    /// <summary>
    /// Verifies rows in outbox order (e.g. read back from JSON lines): each order's rows must come in ascending order
    /// sequence, orders may interleave. Memory grows with the number of orders, not of rows.
    /// </summary>
    public static async Task<AuditReport> VerifyRowsAsync(IAsyncEnumerable<OutboxMessage> rows, Action<AuditProgress>? progress,
        CancellationToken cancellationToken, AuditVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var verifier = new AuditVerifier((options ?? new AuditVerifierOptions()) with { RowsInterleaved = true });
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            verifier.Add(row);
            Report(verifier, progress, null, 1000);
        }

        var report = verifier.Complete();
        progress?.Invoke(new AuditProgress(report.RowsChecked, report.RowsChecked, report.BreakCount));
        return report;
    }

    private static void Report(AuditVerifier verifier, Action<AuditProgress>? progress, long? total, int every)
    {
        if (progress is not null && verifier.RowsChecked % every == 0)
        {
            progress(new AuditProgress(verifier.RowsChecked, total, verifier.BreakCount));
        }
    }
}

namespace OrderProcessor.Audit;

/// <summary>The outcome of verifying the audit trail. <see cref="Breaks"/> is capped; <see cref="BreaksOmitted"/> counts the rest.</summary>
public sealed record AuditReport(long RowsChecked, long ChainsChecked, long StandaloneRows, IReadOnlyList<AuditBreak> Breaks, long BreaksOmitted)
{
    public bool IsIntact => Breaks.Count == 0 && BreaksOmitted == 0;

    public long BreakCount => Breaks.Count + BreaksOmitted;
}

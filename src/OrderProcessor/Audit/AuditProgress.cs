namespace OrderProcessor.Audit;

/// <summary>How far a verification or replay has come; <paramref name="TotalRows"/> is known when the source could count it.</summary>
public sealed record AuditProgress(long RowsDone, long? TotalRows, long BreaksFound);

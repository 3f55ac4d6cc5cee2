namespace OrderProcessor.Audit;

/// <summary>How strict <see cref="AuditVerifier"/> is, and how many breaks it keeps.</summary>
public sealed record AuditVerifierOptions
{
    /// <summary>
    /// For a partial export (a time or sequence range): an order's first row may have any sequence and previous hash.
    /// The rows after it are still checked link by link.
    /// </summary>
    public bool ChainsMayStartLater { get; init; }

    /// <summary>Breaks kept in the report; further ones are only counted (a wholesale corruption must not exhaust memory).</summary>
    public int MaxBreaksKept { get; init; } = 10_000;
}

namespace OrderProcessor.Audit;

/// <summary>How strict <see cref="AuditVerifier"/> is, and how many breaks it keeps.</summary>
public sealed record AuditVerifierOptions
{
    /// <summary>
    /// For a partial export (a time or sequence range): an order's first row may have any sequence and previous hash.
    /// The rows after it are still checked link by link.
    /// </summary>
    public bool ChainsMayStartLater { get; init; }

    /// <summary>
    /// Rows of different orders come interleaved, each order's rows in ascending order sequence (outbox order, as
    /// <c>orders replay</c> writes them): the verifier keeps every order's chain open until the end.
    /// </summary>
    public bool RowsInterleaved { get; init; }

    /// <summary>Breaks kept in the report; further ones are only counted (a wholesale corruption must not exhaust memory).</summary>
    public int MaxBreaksKept { get; init; } = 10_000;
}

namespace OrderProcessor.Execution;

/// <summary>A due order a claim may take, and its turn among its user's due work (1 first); see PostgresOrderStore.</summary>
public sealed record ClaimCandidate(Guid OrderId, long Turn);

namespace OrderProcessor.Execution;

/// <summary>
/// A due order a claim may take, its turn among its user's due work (1 first), and whether its submission carries other
/// orders (bracket legs, OCA members: created with it, so this never changes); see PostgresOrderStore.
/// </summary>
public sealed record ClaimCandidate(Guid OrderId, long Turn, bool Carries);

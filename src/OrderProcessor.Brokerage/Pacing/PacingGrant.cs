namespace OrderProcessor.Brokerage.Pacing;

/// <summary>A pacing slot taken: when, and whether this send is the one probe after an egress-IP pause.</summary>
internal readonly record struct PacingGrant(long TakenAt, bool IsProbe);

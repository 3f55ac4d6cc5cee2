namespace OrderProcessor.Brokerage.Availability;

/// <summary>One IBKR region now: in its scheduled window (until when), detected down (since when), users found down.</summary>
public sealed record RegionAvailability(string Region, DateTimeOffset? WindowUntil, DateTimeOffset? DetectedDownSince, int UsersDown)
{
    public bool Available => WindowUntil is null && DetectedDownSince is null;
}

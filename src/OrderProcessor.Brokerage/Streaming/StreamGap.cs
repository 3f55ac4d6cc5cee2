namespace OrderProcessor.Brokerage.Streaming;

/// <summary>A moment after which the stream alone cannot be trusted to be complete for the user.</summary>
public sealed record StreamGap(string UserId, long LeaseEpoch, long ConnectionId, StreamGapCause Cause, DateTimeOffset At);

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>A request as the guard put it on the wire.</summary>
internal sealed record CapturedRequest(DateTimeOffset At, string Method, string Path, string? Body, string? BearerValue, string? Query = null);

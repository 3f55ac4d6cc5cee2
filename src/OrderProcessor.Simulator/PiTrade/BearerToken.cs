namespace OrderProcessor.Simulator.PiTrade;

/// <summary>A PiTrade bearer token: one user's, usable only from one IP, until it expires.</summary>
public sealed record BearerToken(string Value, string UserId, string Ip, DateTimeOffset ExpiresAt);

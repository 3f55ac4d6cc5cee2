namespace OrderProcessor.Upstreams;

/// <summary>
/// What a command acts for, as authorization judges it: the user and the account (null when the command names none,
/// e.g. a cancel of an order not known yet: then any grant for the user will do).
/// </summary>
public sealed record UpstreamSubject(string? UserId, string? AccountId);

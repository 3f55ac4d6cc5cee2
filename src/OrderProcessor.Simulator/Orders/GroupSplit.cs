namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// The tickets (by position in the request) singled out of a group request: refused with <see cref="Error"/>, or held
/// for <see cref="Question"/> while the others are accepted.
/// </summary>
public sealed record GroupSplit(IReadOnlySet<int> Positions, string? Error, Question? Question);

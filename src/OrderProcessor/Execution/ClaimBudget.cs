namespace OrderProcessor.Execution;

/// <summary>
/// How much work one claim may take: <see cref="Limit"/> items in all (the worker's free slots), and for each user at
/// most <see cref="PerUser"/> less what this process already runs for that user (<see cref="Running"/>). One user's
/// burst then holds at most its share of the slots, and the others' work is claimed beside it.
/// </summary>
public sealed record ClaimBudget(int Limit, int PerUser, IReadOnlyDictionary<string, int> Running)
{
    /// <summary>No per-user share (a test, or one user only).</summary>
    public static ClaimBudget Unshared(int limit) => new(limit, limit, new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>How many more items of <paramref name="userId"/> this claim may take.</summary>
    public int RoomFor(string userId) => Math.Max(0, PerUser - Running.GetValueOrDefault(userId));
}

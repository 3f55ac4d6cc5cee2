namespace OrderProcessor.Execution;

/// <summary>
/// How much work one claim may take: <see cref="Limit"/> items in all (the worker's free slots), and for each user at
/// most <see cref="PerUser"/> less what this process already runs for that user (<see cref="Running"/>). One user's
/// burst then holds at most its share of the slots, and the others' work is claimed beside it. Users in
/// <see cref="Stopping"/> have a cancel or a modification under way here: none of their new placements is claimed until
/// it ends, so placements claimed after it cannot overtake it in the user's gate and pacing in the guard.
/// </summary>
public sealed record ClaimBudget(int Limit, int PerUser, IReadOnlyDictionary<string, int> Running, IReadOnlyCollection<string> Stopping)
{
    /// <summary>Whether new placements of <paramref name="userId"/> may be claimed (no cancel or modification of it under way here).</summary>
    public bool MayPlace(string userId) => !Stopping.Contains(userId, StringComparer.Ordinal);

    /// <summary>How many more items of <paramref name="userId"/> this claim may take.</summary>
    public int RoomFor(string userId) => Math.Max(0, PerUser - Running.GetValueOrDefault(userId));
}

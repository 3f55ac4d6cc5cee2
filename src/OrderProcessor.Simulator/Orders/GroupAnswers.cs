namespace OrderProcessor.Simulator.Orders;

/// <summary>The partial-acceptance setting in force (see <see cref="GroupAnswerSettings"/>).</summary>
public sealed class GroupAnswers
{
    private volatile GroupAnswerSettings _settings = GroupAnswerSettings.Whole;

    public GroupAnswerSettings Settings => _settings;

    public void Set(GroupAnswerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problem = settings.Problem();
        if (problem is not null)
            throw new ArgumentException(problem, nameof(settings));
        _settings = settings;
    }

    public void Clear() => _settings = GroupAnswerSettings.Whole;

    /// <summary>
    /// How this user's request of <paramref name="tickets"/> is split, or null when it is answered as a whole (one
    /// ticket, the setting off or for another user, or the ticket's own question suppressed in the session).
    /// </summary>
    public GroupSplit? SplitFor(string userId, IReadOnlyList<OrderTicket> tickets, IReadOnlySet<string> suppressed)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(suppressed);
        var s = _settings;
        if (s.Mode == GroupAnswerMode.Whole || tickets.Count < 2
            || (s.ForUserId is not null && !string.Equals(s.ForUserId, userId, StringComparison.Ordinal)))
            return null;
        if (s.Mode == GroupAnswerMode.AskTicket && suppressed.Contains(s.QuestionId))
            return null;
        var index = s.TicketIndex is { } i && i < tickets.Count ? i : tickets.Count - 1;
        var singled = tickets[index];
        // A bracket parent cannot leave its children behind: they share its fate.
        var positions = Enumerable.Range(0, tickets.Count)
            .Where(p => p == index || (singled.ParentId is null && singled.COID is not null && tickets[p].ParentId == singled.COID))
            .ToHashSet();
        return s.Mode == GroupAnswerMode.RefuseTicket
            ? new GroupSplit(positions, s.Error, null)
            : new GroupSplit(positions, null, new Question(s.QuestionId, s.QuestionText));
    }
}

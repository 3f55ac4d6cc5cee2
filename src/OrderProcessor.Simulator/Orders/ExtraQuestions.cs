namespace OrderProcessor.Simulator.Orders;

/// <summary>Questions the control API adds to every following order (of one user, or of all when ForUserId is null).</summary>
public sealed class ExtraQuestions
{
    private volatile Setting _setting = new([], null);

    public void Set(IReadOnlyList<Question> questions, string? forUserId) => _setting = new([.. questions], forUserId);

    public void Clear() => _setting = new([], null);

    public IReadOnlyList<Question> For(string userId)
    {
        var s = _setting;
        return s.ForUserId is null || string.Equals(s.ForUserId, userId, StringComparison.Ordinal) ? s.Questions : [];
    }

    private sealed record Setting(IReadOnlyList<Question> Questions, string? ForUserId);
}

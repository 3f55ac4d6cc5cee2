namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// Why IBKR did not take an order. For an unanswered question, <see cref="QuestionIds"/> holds its message ids
/// and <see cref="Text"/> its text; otherwise <see cref="Text"/> is IBKR's error text.
/// </summary>
public sealed record OrderRejection(string Text, IReadOnlyList<string> QuestionIds)
{
    public bool IsUnconfirmedQuestion => QuestionIds.Count > 0;
}

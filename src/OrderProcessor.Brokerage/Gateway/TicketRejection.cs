namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// One ticket of a group request that IBKR refused while accepting others: its cOID when IBKR's answer names it or its
/// position tells it, IBKR's text, and the question ids when the refusal is an unconfirmed question.
/// </summary>
public sealed record TicketRejection(string? ClientOrderId, string Text, IReadOnlyList<string> QuestionIds);

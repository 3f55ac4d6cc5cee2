namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Partial acceptance of multi-ticket requests (body of <c>PUT /__sim/group-answers</c>). <see cref="TicketIndex"/> is the
/// position of the singled-out ticket in the request (null or out of range: the last one); a bracket parent brings its
/// children along. Applies to the requests of <see cref="ForUserId"/>, or of everyone when null.
/// </summary>
public sealed record GroupAnswerSettings
{
    public const string DefaultError = "Order rejected - reason: the destination refused this leg of the group";
    public const string DefaultQuestionId = "o9998";
    public const string DefaultQuestionText = "This order of the group needs its own confirmation.\nAre you sure you want to submit this order?";

    public GroupAnswerMode Mode { get; init; } = GroupAnswerMode.Whole;

    public int? TicketIndex { get; init; }

    public string Error { get; init; } = DefaultError;

    public string QuestionId { get; init; } = DefaultQuestionId;

    public string QuestionText { get; init; } = DefaultQuestionText;

    public string? ForUserId { get; init; }

    public static GroupAnswerSettings Whole { get; } = new();

    public string? Problem()
    {
        if (TicketIndex is < 0)
            return "ticketIndex must not be negative";
        if (string.IsNullOrWhiteSpace(Error) || string.IsNullOrWhiteSpace(QuestionId) || string.IsNullOrWhiteSpace(QuestionText))
            return "error, questionId and questionText must not be empty";
        return null;
    }
}

using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>Turns the guard's answers and failures into the saga's inputs.</summary>
public static class OutcomeTranslator
{
    public static SubmissionOutcome FromResult(PlaceOrderResult result, IReadOnlyList<OrderSaga> group) => result.Outcome switch
    {
        PlaceOrderOutcome.Accepted => new SubmissionAccepted(AcceptedByClientOrderId(result, group)),
        PlaceOrderOutcome.AlreadyRegistered => new SubmissionAmbiguous($"IBKR already has this cOID: {result.Rejection?.Text}"),
        _ when result.Rejection is { IsUnconfirmedQuestion: true } question =>
            new SubmissionRejected(RejectionReasonCode.UnansweredQuestion, question.Text, question.QuestionIds),
        _ => new SubmissionRejected(RejectionReasonCode.BrokerRejected, result.Rejection?.Text ?? "IBKR refused the order", []),
    };

    /// <summary>
    /// A failure of a state-changing call. Anything the guard could not classify is treated as ambiguous: the only
    /// safe reading of an unknown outcome is that the order may be at IBKR.
    /// </summary>
    public static SubmissionOutcome FromException(Exception exception) => exception switch
    {
        BrokerageException { Kind: BrokerageFailureKind.Ambiguous } => new SubmissionAmbiguous(exception.Message),
        BrokerageException { Kind: BrokerageFailureKind.Rejected } rejected =>
            new SubmissionRejected(RejectionReasonCode.BrokerRejected, rejected.BrokerText ?? rejected.Message, []),
        BrokerageException { Kind: BrokerageFailureKind.Configuration } configuration =>
            new SubmissionNotSent(nameof(BrokerageFailureKind.Configuration), configuration.Message, Retryable: false),
        BrokerageException failure => new SubmissionNotSent(failure.Kind.ToString(), failure.Message, Retryable: true),
        _ => new SubmissionAmbiguous($"unexpected failure: {exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>A failure of a read (what-if, live orders): nothing changed at IBKR, so it can always be tried again.</summary>
    public static SubmissionNotSent FromReadException(Exception exception) => exception switch
    {
        BrokerageException { Kind: BrokerageFailureKind.Configuration } configuration =>
            new SubmissionNotSent(nameof(BrokerageFailureKind.Configuration), configuration.Message, Retryable: false),
        BrokerageException failure => new SubmissionNotSent(failure.Kind.ToString(), failure.BrokerText ?? failure.Message, Retryable: true),
        _ => new SubmissionNotSent(nameof(BrokerageFailureKind.TransientBeforeSend), $"{exception.GetType().Name}: {exception.Message}", Retryable: true),
    };

    public static BrokerOrderObservation? Observation(LiveOrder live)
    {
        if (live.OrderRef is not { } clientOrderId || live.OrderId is not { } orderId || live.Status is not { } status)
        {
            return null;
        }

        var filled = live.FilledQuantity ?? 0;
        return new BrokerOrderObservation(clientOrderId, orderId, status, filled,
            live.RemainingQuantity ?? Math.Max(0, (live.TotalSize ?? filled) - filled), live.AvgPrice is > 0 ? live.AvgPrice : null);
    }

    public static WhatIfFigures Figures(WhatIfResult whatIf) => new(
        whatIf.InitialMargin.After?.Currency ?? whatIf.Equity.After?.Currency ?? whatIf.Amount?.Currency,
        Figure(whatIf.InitialMargin),
        Figure(whatIf.MaintenanceMargin),
        Figure(whatIf.Equity),
        whatIf.Commission?.Value,
        whatIf.Amount?.Value,
        whatIf.Warning,
        whatIf.Error);

    private static MarginFigure Figure(WhatIfFigure figure) => new(figure.Current?.Value, figure.Change?.Value, figure.After?.Value);

    private static Dictionary<string, (string, string?)> AcceptedByClientOrderId(PlaceOrderResult result, IReadOnlyList<OrderSaga> group)
    {
        var accepted = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        for (var i = 0; i < group.Count; i++)
        {
            // IBKR answers a multi-ticket request with one entry per ticket, in order, without the cOID.
            var placed = result.Orders.FirstOrDefault(o => o.ClientOrderId == group[i].ClientOrderId)
                ?? (i < result.Orders.Count && result.Orders[i].ClientOrderId is null ? result.Orders[i] : null);
            if (placed is not null)
            {
                accepted[group[i].ClientOrderId] = (placed.OrderId, placed.Status);
            }
        }

        return accepted;
    }
}

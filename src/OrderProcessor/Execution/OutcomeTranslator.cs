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
        // IBKR refuses a cOID it already has: the order is there (placed by an earlier attempt whose answer was lost),
        // even when the live orders of this session no longer list it. Its IBKR order id comes with the next poll.
        PlaceOrderOutcome.AlreadyRegistered => new SubmissionAccepted(new Dictionary<string, (string, string?)>()),
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

    /// <summary>
    /// Observations built from today's executions for the orders named in <paramref name="quantities"/> (cOID → ordered
    /// quantity): filled when the executions add up to the quantity, otherwise working with what filled so far.
    /// </summary>
    public static IEnumerable<BrokerOrderObservation> FromTrades(IReadOnlyList<Trade> trades, IReadOnlyDictionary<string, decimal> quantities) =>
        trades.Where(t => t.OrderRef is not null && t.OrderId is not null && quantities.ContainsKey(t.OrderRef))
            .GroupBy(t => t.OrderRef!, StringComparer.Ordinal)
            .Select(g =>
            {
                var filled = g.Sum(t => t.Size ?? 0);
                var average = filled > 0 ? g.Sum(t => (t.Size ?? 0) * (t.Price ?? 0)) / filled : (decimal?)null;
                var quantity = quantities[g.Key];
                return new BrokerOrderObservation(g.Key, g.First().OrderId!, filled >= quantity ? "Filled" : "Submitted",
                    filled, Math.Max(0, quantity - filled), average);
            });

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

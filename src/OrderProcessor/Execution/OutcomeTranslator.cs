using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>Turns the guard's answers and failures into the state machine's inputs, typed at this edge.</summary>
public static class OutcomeTranslator
{
    /// <summary>IBKR's answer to a submission group (<paramref name="sent"/>: the orders whose tickets went, in order).</summary>
    public static OrderInput Submission(Guid claim, PlaceOrderResult result, IReadOnlyList<OrderSaga> sent)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            PlaceOrderOutcome.Accepted => new SubmissionAccepted(claim, AcceptedByClientOrderId(result, sent), RefusedByClientOrderId(result)),
            // IBKR refuses a cOID it already has: the order is there (placed by an earlier attempt whose answer was lost),
            // even when the live orders of this session no longer list it. Its IBKR order id comes with the status poll.
            PlaceOrderOutcome.AlreadyRegistered => new SubmissionAlreadyRegistered(claim, result.Rejection?.Text ?? "cOID already registered"),
            _ when result.Rejection is { IsUnconfirmedQuestion: true } question =>
                new SubmissionRejected(claim, RejectionReasonCode.UnansweredQuestion, question.Text, question.QuestionIds),
            _ => new SubmissionRejected(claim, RejectionReasonCode.BrokerRejected, result.Rejection?.Text ?? "IBKR refused the order", []),
        };
    }

    /// <summary>
    /// IBKR unavailable (a maintenance window or an outage), known before anything was sent: the claimed
    /// <paramref name="work"/> is held or done again after the window. Null for any other failure. Checked before the
    /// other translations, which would read it as a wait (<see cref="BrokerageException.IsNotTheOrders"/>).
    /// </summary>
    public static BrokerUnavailable? Unavailable(Guid claim, OrderWork work, Exception exception) => exception is IbkrUnavailableException unavailable
        ? new BrokerUnavailable(claim, work, unavailable.Cause, unavailable.Region, unavailable.Message, unavailable.ExpectedUntil)
        : null;

    /// <summary>
    /// A failure of a submission. Anything the guard could not classify is treated as ambiguous: the only safe reading
    /// of an unknown outcome is that the order may be at IBKR.
    /// </summary>
    public static OrderInput SubmissionFailure(Guid claim, Exception exception) => exception switch
    {
        BrokerageException { Kind: BrokerageFailureKind.Ambiguous } => new SubmissionAmbiguous(claim, exception.Message),
        BrokerageException { Kind: BrokerageFailureKind.UserNotEntitled } notEntitled =>
            new SubmissionRejected(claim, RejectionReasonCode.UserNotEntitled, notEntitled.Message, []),
        BrokerageException { IsNotTheOrders: true } waiting => new SubmissionNotSent(claim, Waiting(waiting)),
        BrokerageException { Kind: BrokerageFailureKind.Rejected } rejected =>
            new SubmissionRejected(claim, RejectionReasonCode.BrokerRejected, rejected.BrokerText ?? rejected.Message, []),
        BrokerageException { Kind: BrokerageFailureKind.Configuration } configuration =>
            new SubmissionNotSent(claim, new CallFailure(nameof(BrokerageFailureKind.Configuration), configuration.Message, Retryable: false)),
        BrokerageException failure => new SubmissionNotSent(claim, new CallFailure(failure.Kind.ToString(), failure.Message, Retryable: true)),
        _ => new SubmissionAmbiguous(claim, $"unexpected failure: {exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>A set-up, token or partner failure: not the order's; its work waits without spending an attempt.</summary>
    private static CallFailure Waiting(BrokerageException failure) => new(failure.Kind.ToString(), failure.Message, Retryable: true, Waits: true);

    /// <summary>IBKR's answer to a modification.</summary>
    public static OrderInput Modification(Guid claim, PlaceOrderResult result, ModifyOrder sent)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            PlaceOrderOutcome.Accepted => new ModifyAccepted(claim, sent),
            _ when result.Rejection is { IsUnconfirmedQuestion: true } question =>
                new ModifyRejected(claim, RejectionReasonCode.UnansweredQuestion, question.Text, question.QuestionIds),
            _ => new ModifyRejected(claim, RejectionReasonCode.BrokerRejected, result.Rejection?.Text ?? "IBKR refused the modification", []),
        };
    }

    public static OrderInput ModificationFailure(Guid claim, Exception exception) => exception switch
    {
        BrokerageException { Kind: BrokerageFailureKind.UserNotEntitled } notEntitled =>
            new ModifyRejected(claim, RejectionReasonCode.UserNotEntitled, notEntitled.Message, []),
        BrokerageException { IsNotTheOrders: true } waiting => new ModifyNotSent(claim, Waiting(waiting)),
        BrokerageException { Kind: BrokerageFailureKind.Rejected } rejected =>
            new ModifyRejected(claim, RejectionReasonCode.BrokerRejected, rejected.BrokerText ?? rejected.Message, []),
        BrokerageException { Kind: BrokerageFailureKind.Configuration } configuration =>
            new ModifyNotSent(claim, new CallFailure(nameof(BrokerageFailureKind.Configuration), configuration.Message, Retryable: false)),
        BrokerageException { IsSafeToRepeat: true } failure => new ModifyNotSent(claim, new CallFailure(failure.Kind.ToString(), failure.Message, Retryable: true)),
        _ => new ModifyAmbiguous(claim, exception.Message),
    };

    /// <summary>A failure of a read (what-if, live orders, trades) or of a call that provably did not leave: nothing changed at IBKR.</summary>
    public static CallFailure ReadFailure(Exception exception) => exception switch
    {
        BrokerageException { IsNotTheOrders: true } waiting => Waiting(waiting),
        BrokerageException { Kind: BrokerageFailureKind.UserNotEntitled } notEntitled =>
            new CallFailure(CallFailure.UserNotEntitledKind, notEntitled.Message, Retryable: false),
        BrokerageException { Kind: BrokerageFailureKind.Configuration } configuration =>
            new CallFailure(nameof(BrokerageFailureKind.Configuration), configuration.Message, Retryable: false),
        BrokerageException failure => new CallFailure(failure.Kind.ToString(), failure.BrokerText ?? failure.Message, Retryable: true),
        _ => new CallFailure(nameof(BrokerageFailureKind.TransientBeforeSend), $"{exception.GetType().Name}: {exception.Message}", Retryable: true),
    };

    /// <summary>
    /// What the live orders say of the orders with these cOIDs (null: of every order of this processor). A list that
    /// names an order twice is read as its most advanced entry.
    /// </summary>
    public static Dictionary<string, BrokerOrderObservation> Observations(IReadOnlyList<LiveOrder> live, IReadOnlyCollection<string>? clientOrderIds)
    {
        ArgumentNullException.ThrowIfNull(live);
        var observations = new Dictionary<string, BrokerOrderObservation>(StringComparer.Ordinal);
        foreach (var observation in live.Select(Observation))
        {
            if (observation is null || !(clientOrderIds?.Contains(observation.ClientOrderId) ?? observation.ClientOrderId.StartsWith(ClientOrderId.Prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            observations[observation.ClientOrderId] = observations.TryGetValue(observation.ClientOrderId, out var seen)
                ? BrokerOrderObservation.MostAdvanced(seen, observation)
                : observation;
        }

        return observations;
    }

    public static BrokerOrderObservation? Observation(LiveOrder live)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (live.OrderRef is not { } clientOrderId || live.OrderId is not { } orderId || live.Status is not { } status)
        {
            return null;
        }

        var filled = live.FilledQuantity ?? 0;
        return new BrokerOrderObservation(clientOrderId, orderId, BrokerOrderStates.Parse(status), filled,
            live.RemainingQuantity ?? (live.TotalSize is { } total ? Math.Max(0, total - filled) : null), live.AvgPrice is > 0 ? live.AvgPrice : null);
    }

    /// <summary>
    /// Observations built from the executions in <paramref name="trades"/> of the orders named in
    /// <paramref name="quantities"/> (cOID → ordered quantity): filled when they add up to the quantity, otherwise
    /// submitted with what filled so far. A cash-quantity order (quantity null) has no quantity to add up to: how many
    /// units its cash came to is IBKR's to say, so its executions read as submitted with nothing known open.
    /// </summary>
    public static IEnumerable<BrokerOrderObservation> FromTrades(IReadOnlyList<Trade> trades, IReadOnlyDictionary<string, decimal?> quantities)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(quantities);
        foreach (var clientOrderId in quantities.Keys)
        {
            var executions = Executions(trades, clientOrderId);
            if (executions.BrokerOrderId is null)
            {
                continue;
            }

            var quantity = quantities[clientOrderId];
            yield return new BrokerOrderObservation(clientOrderId, executions.BrokerOrderId,
                quantity is > 0 && executions.Filled >= quantity ? BrokerOrderState.Filled : BrokerOrderState.Submitted,
                executions.Filled, quantity is { } ordered ? Math.Max(0, ordered - executions.Filled) : null, executions.AveragePrice);
        }
    }

    /// <summary>The executions of one cOID in the trades: filled quantity, average price, IBKR's order id (null when there are none). An execution listed twice counts once.</summary>
    public static (decimal Filled, decimal? AveragePrice, string? BrokerOrderId) Executions(IReadOnlyList<Trade> trades, string clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var mine = trades.Where(t => t.OrderRef == clientOrderId && t.OrderId is not null)
            .DistinctBy(t => t.ExecutionId ?? $"{t.OrderId}/{t.TradeTimeMs}/{t.Size}/{t.Price}")
            .ToList();
        if (mine.Count == 0)
        {
            return (0, null, null);
        }

        var filled = mine.Sum(t => t.Size ?? 0);
        var average = filled > 0 ? mine.Sum(t => (t.Size ?? 0) * (t.Price ?? 0)) / filled : (decimal?)null;
        return (filled, average, mine[0].OrderId);
    }

    public static WhatIfFigures Figures(WhatIfResult whatIf)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        return new(
            whatIf.InitialMargin.After?.Currency ?? whatIf.Equity.After?.Currency ?? whatIf.Amount?.Currency,
            Figure(whatIf.InitialMargin),
            Figure(whatIf.MaintenanceMargin),
            Figure(whatIf.Equity),
            whatIf.Commission?.Value,
            whatIf.Amount?.Value,
            whatIf.Warning,
            whatIf.Error);
    }

    private static MarginFigure Figure(WhatIfFigure figure) => new(figure.Current?.Value, figure.Change?.Value, figure.After?.Value);

    private static Dictionary<string, BrokerTicket> AcceptedByClientOrderId(PlaceOrderResult result, IReadOnlyList<OrderSaga> sent)
    {
        var accepted = new Dictionary<string, BrokerTicket>(StringComparer.Ordinal);
        for (var i = 0; i < sent.Count; i++)
        {
            // IBKR answers a multi-ticket request with one entry per ticket, in order, without the cOID.
            var placed = result.Orders.FirstOrDefault(o => o.ClientOrderId == sent[i].ClientOrderId)
                ?? (i < result.Orders.Count && result.Orders[i].ClientOrderId is null ? result.Orders[i] : null);
            if (placed is not null)
            {
                accepted[sent[i].ClientOrderId] = new BrokerTicket(placed.OrderId, placed.Status is null ? null : BrokerOrderStates.Parse(placed.Status));
            }
        }

        return accepted;
    }

    private static Dictionary<string, TicketRefusal> RefusedByClientOrderId(PlaceOrderResult result) =>
        result.RejectedTickets.Where(r => r.ClientOrderId is not null)
            .GroupBy(r => r.ClientOrderId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First() is var r && r.QuestionIds.Count > 0
                ? new TicketRefusal(RejectionReasonCode.UnansweredQuestion, r.Text, r.QuestionIds)
                : new TicketRefusal(RejectionReasonCode.BrokerRejected, g.First().Text, []), StringComparer.Ordinal);
}

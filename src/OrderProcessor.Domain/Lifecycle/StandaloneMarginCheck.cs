using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The decisions of a standalone MarginCheck: validated when it arrives (a refusal answers at once), then a what-if
/// claimed and run like an order's work, answered exactly once. Pure code.
/// </summary>
public static class StandaloneMarginCheck
{
    /// <summary>The rule violations of a MarginCheck, named by its own fields (the order it asks about is validated as a placed one is).</summary>
    public static IReadOnlyList<FieldViolation> Validate(MarginCheck check) => MarginCheckValidator.Validate(check);

    /// <summary>The request to keep for a valid check.</summary>
    public static MarginCheckRequest Request(MarginCheck check, EventStamp stamp, Uri? responseAddress, Guid? requestId, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new MarginCheckRequest
        {
            CheckId = check.CheckId,
            UserId = OrderLimits.Clip(check.UserId)!,
            AccountId = OrderLimits.Clip(check.AccountId)!,
            Command = JsonSerializer.Serialize(check, ContractJson.Options),
            CorrelationId = stamp.CorrelationId,
            MessageId = stamp.CausationId,
            ResponseAddress = responseAddress?.ToString(),
            RequestId = requestId,
            TraceParent = traceParent,
            DueAt = stamp.At,
            CreatedAt = stamp.At,
        };
    }

    public static MarginCheck CommandOf(MarginCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.Deserialize<MarginCheck>(request.Command, ContractJson.Options)!;
    }

    /// <summary>A worker takes the check under <paramref name="token"/> until the lease ends.</summary>
    public static void Claim(MarginCheckRequest request, Guid token, DateTimeOffset now, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        request.ClaimToken = token;
        request.Attempts++;
        request.DueAt = now + settings.WorkLease;
    }

    /// <summary>IBKR's figures: the answer. Null when the claim is no longer the request's (a late or repeated answer adds nothing).</summary>
    public static OrderDecision? Answered(MarginCheckRequest request, Guid token, WhatIfFigures figures, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, token, stamp, OrderLifecycle.MarginCompleted(request.UserId, request.AccountId, figures));
    }

    /// <summary>The check is refused (validation, an account the user does not own): the answer.</summary>
    public static OrderDecision Refused(MarginCheck check, RejectionReasonCode code, string reason, IReadOnlyList<FieldViolation> violations, EventStamp stamp) =>
        OrderPlacement.Standalone(check.CheckId, Refusal(check.UserId, check.AccountId, code, reason, violations), stamp);

    /// <summary>A refusal of a kept request (e.g. the account is not the user's), answered under its claim.</summary>
    public static OrderDecision? Refused(MarginCheckRequest request, Guid token, RejectionReasonCode code, string reason, EventStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Answer(request, token, stamp, Refusal(request.UserId, request.AccountId, code, reason, []));
    }

    /// <summary>The what-if could not be run: again after a backoff, or answered with the reason after the last attempt.</summary>
    public static OrderDecision? Failed(MarginCheckRequest request, Guid token, CallFailure failure, EventStamp stamp, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(settings);
        if (request.ClaimToken != token || request.AnsweredAt is not null)
        {
            return null;
        }

        request.LastReason = failure.Reason;
        if (failure.UserNotEntitled)
        {
            return Answer(request, token, stamp, Refusal(request.UserId, request.AccountId, RejectionReasonCode.UserNotEntitled, failure.Reason, []));
        }

        // A set-up failure (Waits) is retried like any other here, within the bound: a margin check is a question
        // someone is waiting on, and an answer that it could not be run is not an order's final state.
        if (failure.Retryable && request.Attempts < settings.MaxSubmitAttempts)
        {
            request.ClaimToken = null;
            request.DueAt = stamp.At + settings.Backoff(request.Attempts);
            return new OrderDecision();
        }

        return Answer(request, token, stamp, Refusal(request.UserId, request.AccountId, RejectionReasonCode.BrokerRejected,
            $"IBKR's what-if could not be run in {request.Attempts} attempts: {failure.Reason}", []));
    }

    private static OrderDecision? Answer(MarginCheckRequest request, Guid token, EventStamp stamp, IOrderEvent answer)
    {
        if (request.ClaimToken != token || request.AnsweredAt is not null)
        {
            return null;
        }

        request.AnsweredAt = stamp.At;
        request.ClaimToken = null;
        request.DueAt = null;
        var response = request.ResponseAddress is null ? null : new Uri(request.ResponseAddress);
        return OrderPlacement.Standalone(request.CheckId, answer, stamp).RespondTo(response, request.RequestId);
    }

    private static OrderRejected Refusal(string? userId, string? accountId, RejectionReasonCode code, string reason, IReadOnlyList<FieldViolation> violations) => new()
    {
        ReasonCode = code,
        Reason = reason,
        Violations = ViolationCap.Apply(violations),
        Command = nameof(MarginCheck),
        UserId = OrderLimits.Clip(userId),
        AccountId = OrderLimits.Clip(accountId),
    };
}

using OrderProcessor.Brokerage.Ibkr;
using OrderProcessor.Brokerage.Ibkr.Accounts;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Ibkr.Session;

namespace OrderProcessor.Brokerage.Failures;

/// <summary>
/// IBKR answers many failures with HTTP 200 and <c>{"error": ...}</c>. These rules read that text wherever a 200 can
/// carry one, so that "no bridge" is a lost session and "Please query /accounts first" a missing warm-up whatever the
/// status, and an error where only data was expected (accounts, live orders) is never read as "none".
/// </summary>
internal static class ErrorAnswers
{
    /// <summary>The <c>error</c> of a typed 2xx answer, or null.</summary>
    public static string? ErrorOf(object? content) => content switch
    {
        UserAccountsResponse accounts => accounts.Error,
        LiveOrdersResponse live => live.Error,
        OrderSubmissionAnswer submission => submission.Error,
        CancelOrderAnswer cancel => cancel.Error,
        OrderStatusResponse status => status.Error,
        OrderPreview preview => preview.Error,
        BrokerageSessionStatus session => session.Error,
        TickleResponse tickle => tickle.Error,
        QuestionSuppressionAnswer suppression => suppression.Error,
        _ => null,
    };

    /// <summary>"no bridge", "Init session first", "not authenticated": IBKR has no brokerage session for the call; it did nothing.</summary>
    public static bool MeansSessionLost(string? text) =>
        text is not null
        && (text.Contains("no bridge", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Init session first", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not authenticated", StringComparison.OrdinalIgnoreCase));

    /// <summary>"Please query /accounts first": the session's accounts warm-up is missing; IBKR did nothing.</summary>
    public static bool MeansAccountsNotQueried(string? text) =>
        text is not null && text.Contains("Please query /accounts first", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The signal of a 2xx that carries <paramref name="text"/> as its error. Where an error is a business answer
    /// (place, reply, modify, cancel, status, what-if) it stays <see cref="ResponseSignal.Ok"/> for the gateway to read;
    /// where only data was expected the answer is unusable.
    /// </summary>
    public static ResponseSignal SignalOf2xx(IbkrEndpoint endpoint, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ResponseSignal.Ok;
        }

        if (MeansAccountsNotQueried(text))
        {
            return ResponseSignal.AccountsNotQueried;
        }

        if (MeansSessionLost(text))
        {
            return ResponseSignal.SessionLost;
        }

        return CarriesBusinessErrors(endpoint) ? ResponseSignal.Ok : ResponseSignal.ErrorAnswer;
    }

    private static bool CarriesBusinessErrors(IbkrEndpoint endpoint) =>
        endpoint == IbkrEndpointCatalog.PlaceOrder || endpoint == IbkrEndpointCatalog.Reply || endpoint == IbkrEndpointCatalog.ModifyOrder
        || endpoint == IbkrEndpointCatalog.CancelOrder || endpoint == IbkrEndpointCatalog.OrderStatus || endpoint == IbkrEndpointCatalog.WhatIf;
}

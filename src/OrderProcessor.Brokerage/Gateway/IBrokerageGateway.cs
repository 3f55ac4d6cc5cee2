using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// Everything the order service does at IBKR, per user. Tokens, sessions, pacing, per-user serialisation and the
/// question policy are handled inside. Failures other than business outcomes are thrown as
/// <see cref="Failures.BrokerageException"/> (see its <see cref="Failures.BrokerageFailureKind"/>); an order request
/// whose outcome is unknown throws <see cref="Failures.AmbiguousOrderOutcomeException"/> and is never re-sent.
/// </summary>
public interface IBrokerageGateway
{
    Task<IReadOnlyList<string>> GetAccountsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Places one ticket, or a bracket / OCA group in one request. Allow-listed questions are confirmed.</summary>
    Task<PlaceOrderResult> PlaceOrderAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default);

    Task<WhatIfResult> WhatIfAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default);

    /// <summary>
    /// Live orders of the user (paced to 1 per 5 s per user). An answer IBKR gives before it has a snapshot (the first read
    /// of a brokerage session, a forced read) is read again, so what this returns can be relied on to say what is listed.
    /// <paramref name="force"/> clears IBKR's cache first.
    /// </summary>
    Task<IReadOnlyList<LiveOrder>> GetLiveOrdersAsync(string userId, string? accountId = null, bool force = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The user's executions of today and the <paramref name="days"/> - 1 days before (IBKR allows 1 to 7; paced like
    /// live orders). Live orders list only what ended in the current session; this is how a fill from an earlier
    /// session (before a crash, a re-init or a weekend) is recovered.
    /// </summary>
    Task<IReadOnlyList<Trade>> GetTradesAsync(string userId, int days, CancellationToken cancellationToken = default);

    Task<OrderStatusResponse> GetOrderStatusAsync(string userId, string orderId, CancellationToken cancellationToken = default);

    Task<CancelOrderResult> CancelOrderAsync(string userId, string accountId, string orderId, CancellationToken cancellationToken = default);

    /// <summary>Modifies a working order; <paramref name="ticket"/> repeats every field of the original with the changes.</summary>
    Task<PlaceOrderResult> ModifyOrderAsync(string userId, string accountId, string orderId, OrderTicket ticket, CancellationToken cancellationToken = default);

    /// <summary>Ends the user's brokerage session (POST /logout); the next call opens a new one.</summary>
    Task LogoutAsync(string userId, CancellationToken cancellationToken = default);
}

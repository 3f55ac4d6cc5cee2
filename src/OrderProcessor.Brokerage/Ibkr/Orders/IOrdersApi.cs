using Refit;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>IBKR "Trading Orders": place, reply, what-if, live orders, status, cancel, modify.</summary>
public interface IOrdersApi
{
    [Post("/iserver/account/{accountId}/orders")]
    Task<IApiResponse<OrderSubmissionAnswer>> PlaceAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string accountId,
        [Body] OrdersSubmissionRequest request,
        CancellationToken cancellationToken);

    [Post("/iserver/reply/{replyId}")]
    Task<IApiResponse<OrderSubmissionAnswer>> ReplyAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string replyId,
        [Body] OrderReplyRequest request,
        CancellationToken cancellationToken);

    [Post("/iserver/account/{accountId}/orders/whatif")]
    Task<IApiResponse<OrderPreview>> WhatIfAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string accountId,
        [Body] OrdersSubmissionRequest request,
        CancellationToken cancellationToken);

    /// <summary>Executions of today (and up to <paramref name="days"/> prior days, at most 7).</summary>
    [Get("/iserver/account/trades")]
    Task<IApiResponse<List<Trade>>> GetTradesAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        [Query] int? days,
        CancellationToken cancellationToken);

    /// <summary>Live orders; <paramref name="force"/> is "true" to clear IBKR's cache (that call itself answers empty).</summary>
    [Get("/iserver/account/orders")]
    Task<IApiResponse<LiveOrdersResponse>> GetLiveOrdersAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        [Query] string? filters,
        [Query] string? force,
        [Query] string? accountId,
        CancellationToken cancellationToken);

    [Get("/iserver/account/order/status/{orderId}")]
    Task<IApiResponse<OrderStatusResponse>> GetStatusAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string orderId,
        CancellationToken cancellationToken);

    [Delete("/iserver/account/{accountId}/order/{orderId}")]
    Task<IApiResponse<CancelOrderAnswer>> CancelAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string accountId,
        string orderId,
        CancellationToken cancellationToken);

    /// <summary>Modifies an order: one ticket object (not an array) repeating every field of the original.</summary>
    [Post("/iserver/account/{accountId}/order/{orderId}")]
    Task<IApiResponse<OrderSubmissionAnswer>> ModifyAsync(
        [Property(IbkrRequestProperties.UserId)] string userId,
        string accountId,
        string orderId,
        [Body] SingleOrderSubmissionRequest request,
        CancellationToken cancellationToken);
}

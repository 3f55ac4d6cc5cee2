using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// What one incarnation of a simulated processor sees as the guard: every call becomes a pending call of the model,
/// resolved when the schedule says, with the answers and failures the real guard gives.
/// </summary>
public sealed class ModelGateway(IbkrModel model, string instanceId, int incarnation, Func<CancellationToken, DateTimeOffset> deadlineOf) : IBrokerageGateway
{
    public Task<IReadOnlyList<string>> GetAccountsAsync(string userId, CancellationToken cancellationToken = default) =>
        model.Call("accounts", instanceId, incarnation, userId, false, () => model.Accounts(userId), deadlineOf(cancellationToken), cancellationToken);

    public Task<PlaceOrderResult> PlaceOrderAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) =>
        model.Call("place", instanceId, incarnation, userId, true, () => model.Place(userId, accountId, tickets), deadlineOf(cancellationToken), cancellationToken);

    public Task<WhatIfResult> WhatIfAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) =>
        model.Call("whatif", instanceId, incarnation, userId, false, model.WhatIf, deadlineOf(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<LiveOrder>> GetLiveOrdersAsync(string userId, string? accountId = null, bool force = false, CancellationToken cancellationToken = default) =>
        model.Call("live-orders", instanceId, incarnation, userId, false, () =>
        {
            // As the guard does: an answer that is not a snapshot (the first of a session) is read again.
            var (orders, snapshot) = model.LiveOrders(userId);
            return snapshot ? orders : model.LiveOrders(userId).Orders;
        }, deadlineOf(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Trade>> GetTradesAsync(string userId, int days, CancellationToken cancellationToken = default) =>
        model.Call("trades", instanceId, incarnation, userId, false, () => model.Trades(userId, days), deadlineOf(cancellationToken), cancellationToken);

    public Task<OrderStatusResponse> GetOrderStatusAsync(string userId, string orderId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the processor does not read single order statuses");

    public Task<CancelOrderResult> CancelOrderAsync(string userId, string accountId, string orderId, CancellationToken cancellationToken = default) =>
        model.Call("cancel", instanceId, incarnation, userId, true, () => model.Cancel(userId, accountId, orderId), deadlineOf(cancellationToken), cancellationToken);

    public Task<PlaceOrderResult> ModifyOrderAsync(string userId, string accountId, string orderId, OrderTicket ticket, CancellationToken cancellationToken = default) =>
        model.Call("modify", instanceId, incarnation, userId, true, () => model.Modify(userId, accountId, orderId, ticket), deadlineOf(cancellationToken), cancellationToken);

    public Task LogoutAsync(string userId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.LifecycleSimulation.World;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// What one incarnation of a simulated processor sees as the guard: every call becomes a pending call of the model,
/// resolved when the schedule says, with the answers and failures the real guard gives. As the guard does, it sends
/// nothing for a user whose session lease this instance cannot prove for one more attempt, and a request lives at most
/// one attempt (and never past its work's deadline).
/// </summary>
public sealed class ModelGateway(IbkrModel model, string instanceId, int incarnation, IUserSessionAuthority authority, SimClock clock, TimeSpan attempt,
    Func<CancellationToken, DateTimeOffset> deadlineOf, Brokerage.Availability.IIbkrAvailability? availability = null) : IBrokerageGateway
{
    public Task<IReadOnlyList<string>> GetAccountsAsync(string userId, CancellationToken cancellationToken = default) =>
        Call("accounts", userId, false, () => model.Accounts(userId), cancellationToken);

    public Task<PlaceOrderResult> PlaceOrderAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) =>
        Call("place", userId, true, () => model.Place(userId, accountId, tickets), cancellationToken);

    public Task<WhatIfResult> WhatIfAsync(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, CancellationToken cancellationToken = default) =>
        Call("whatif", userId, false, () => model.WhatIf(tickets), cancellationToken);

    public Task<IReadOnlyList<LiveOrder>> GetLiveOrdersAsync(string userId, string? accountId = null, bool force = false, CancellationToken cancellationToken = default) =>
        Call("live-orders", userId, false, () =>
        {
            // As the guard does: an answer that is not a snapshot (the first of a session) is read again.
            var (orders, snapshot) = model.LiveOrders(userId);
            return snapshot ? orders : model.LiveOrders(userId).Orders;
        }, cancellationToken, model.ListedNow(userId));

    public Task<IReadOnlyList<Trade>> GetTradesAsync(string userId, int days, CancellationToken cancellationToken = default) =>
        Call("trades", userId, false, () => model.Trades(userId, days), cancellationToken);

    public Task<OrderStatusResponse> GetOrderStatusAsync(string userId, string orderId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the processor does not read single order statuses");

    public Task<CancelOrderResult> CancelOrderAsync(string userId, string accountId, string orderId, CancellationToken cancellationToken = default) =>
        Call("cancel", userId, true, () => model.Cancel(userId, accountId, orderId), cancellationToken);

    public Task<PlaceOrderResult> ModifyOrderAsync(string userId, string accountId, string orderId, OrderTicket ticket, CancellationToken cancellationToken = default) =>
        Call("modify", userId, true, () => model.Modify(userId, accountId, orderId, ticket), cancellationToken);

    public Task LogoutAsync(string userId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private Task<T> Call<T>(string kind, string userId, bool changesState, Func<T> act, CancellationToken cancellationToken, T? staleAnswer = default)
    {
        if (!authority.MayUse(userId, attempt))
        {
            return Task.FromException<T>(new BrokerageException(BrokerageFailureKind.SessionNotHeld, $"{kind}: this instance no longer holds {userId}'s session", userId));
        }

        if (availability?.Check(userId) is { Available: false } down)
        {
            // As the guard does: known before anything is sent, nothing is sent.
            return Task.FromException<T>(new IbkrUnavailableException(userId, down.Cause, down.Region, down.ExpectedUntil, $"{kind}: {down.Reason}"));
        }

        var deadline = deadlineOf(cancellationToken);
        var lastAttempt = clock.Now + attempt;
        return model.Call(kind, instanceId, incarnation, userId, changesState, act, deadline < lastAttempt ? deadline : lastAttempt, cancellationToken, staleAnswer);
    }
}

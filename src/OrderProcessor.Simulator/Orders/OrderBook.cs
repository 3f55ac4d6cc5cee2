using System.Globalization;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Every accepted order, when each cOID was last registered per account, and the positions fills built. One lock for all.</summary>
public sealed class OrderBook
{
    private const long FirstOrderId = 1_000_000_001;
    private readonly Dictionary<long, SimOrder> _byId = [];
    private readonly List<SimOrder> _inAcceptanceOrder = [];
    private readonly List<SimOrder> _open = [];
    private readonly Dictionary<string, List<SimOrder>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string COID), DateTimeOffset> _coidRegisteredAt = [];
    private readonly Dictionary<(string Account, int Conid), decimal> _positions = [];
    private readonly List<SimOrder> _changed = [];
    private readonly HashSet<long> _changedIds = [];
    private long _nextOrderId = FirstOrderId;

    /// <summary>Hold this while reading or changing any order.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Orders in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> Orders => _inAcceptanceOrder;

    /// <summary>Orders that were not final at the end of the last tick, in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> OpenOrders => _open;

    /// <summary>One user's orders in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> OrdersOf(string userId) => _byUser.TryGetValue(userId, out var orders) ? orders : [];

    /// <summary>
    /// Notes that the order changed (accepted, filled, activated, cancel requested, modified, ended), for the websocket's
    /// next flush. Only while holding <see cref="Gate"/>.
    /// </summary>
    public void MarkChanged(SimOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (_changedIds.Add(order.OrderId))
            _changed.Add(order);
    }

    /// <summary>The orders changed since the last call, in the order they first changed. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> TakeChanged()
    {
        if (_changed.Count == 0)
            return [];
        var changed = _changed.ToList();
        _changed.Clear();
        _changedIds.Clear();
        return changed;
    }

    /// <summary>Forgets final orders from <see cref="OpenOrders"/>. Only while holding <see cref="Gate"/>.</summary>
    public void CompactOpenOrders() => _open.RemoveAll(o => o.IsTerminal);

    public static string DuplicateText(string coid) =>
        $"Order couldn't be submitted: Local order ID={coid} is already registered.";

    public SimOrder? Find(long orderId)
    {
        lock (Gate)
            return _byId.GetValueOrDefault(orderId);
    }

    /// <summary>
    /// The order an IBKR order id (digits) or a cOID names; for a cOID used twice (after the duplicate window), the latest.
    /// </summary>
    public SimOrder? FindByKey(string key)
    {
        lock (Gate)
        {
            if (long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _byId.TryGetValue(id, out var byId))
                return byId;
            return _inAcceptanceOrder.LastOrDefault(o => string.Equals(o.COID, key, StringComparison.Ordinal));
        }
    }

    /// <summary>IBKR's refusal text when a ticket's cOID is still registered for the account at <paramref name="now"/>, else null.</summary>
    public string? DuplicateOf(string accountId, IEnumerable<OrderTicket> tickets, DateTimeOffset now, TimeSpan window)
    {
        lock (Gate)
        {
            var duplicate = tickets.FirstOrDefault(t => t.COID is not null && IsRegistered(accountId, t.COID, now, window));
            return duplicate is null ? null : DuplicateText(duplicate.COID!);
        }
    }

    /// <summary>
    /// How many orders of the account, conid and side are working (not filled, cancelled or inactive): bracket children
    /// waiting for their parent and orders with a cancel requested included, as IBKR counts them against its limit.
    /// </summary>
    public int WorkingCount(string accountId, int conid, string side)
    {
        lock (Gate)
        {
            return _open.Count(o => !o.IsTerminal && o.Conid == conid
                && string.Equals(o.AccountId, accountId, StringComparison.Ordinal) && string.Equals(o.Side, side, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Builds the orders of one request (a single order, a bracket or an OCA group) with their ids, parent links and OCA
    /// group, without accepting them yet: a ticket held for a question of its own is registered only once confirmed.
    /// A cash-quantity order's size is estimated at <paramref name="referencePrice"/> of its conid (with
    /// <see cref="CashQuantityEnding.CancelledWhenSpent"/>: a fixed maximum, the estimate plus IBKR's estimate factor).
    /// </summary>
    public IReadOnlyList<SimOrder> Prepare(
        string userId, string accountId, IReadOnlyList<OrderTicket> tickets, Func<int, decimal> referencePrice, CashQuantityEnding cashEnding = CashQuantityEnding.Filled)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(referencePrice);
        lock (Gate)
        {
            var ids = tickets.ToDictionary(t => t, _ => _nextOrderId++);
            var ocaGroup = tickets.Count > 1 && tickets.All(t => t.IsSingleGroup)
                ? "oca-" + ids[tickets[0]].ToString(CultureInfo.InvariantCulture)
                : null;
            return [.. tickets.Select(ticket =>
            {
                var parent = ticket.ParentId is null ? null : tickets.First(t => t.COID == ticket.ParentId);
                var isChild = parent is not null;
                var siblings = isChild ? tickets.Count(t => t.ParentId == ticket.ParentId) : 0;
                return new SimOrder
                {
                    OrderId = ids[ticket],
                    UserId = userId,
                    AccountId = accountId,
                    Conid = ticket.Conid,
                    Side = ticket.Side,
                    OrderType = ticket.OrderType,
                    Quantity = ticket.CashQty is { } cash ? CashOrderSize(cash, referencePrice(ticket.Conid), cashEnding) : ticket.Quantity,
                    CashQty = ticket.CashQty,
                    CashEnding = cashEnding,
                    Exchange = RoutingOf(ticket),
                    Strategy = ticket.Strategy,
                    StrategyParameters = ticket.StrategyParameters,
                    UseAdaptive = ticket.UseAdaptive,
                    AllOrNone = ticket.AllOrNone,
                    ManualIndicator = ticket.ManualIndicator,
                    IsCcyConv = ticket.IsCcyConv,
                    Price = ticket.Price,
                    AuxPrice = ticket.AuxPrice,
                    TrailingAmt = ticket.TrailingAmt,
                    TrailingType = ticket.TrailingType,
                    Tif = ticket.Tif,
                    COID = ticket.COID,
                    ParentId = ticket.ParentId,
                    ParentOrderId = isChild ? ids[parent!] : null,
                    OcaGroup = ocaGroup ?? (isChild && siblings > 1 ? "bracket-" + ids[parent!].ToString(CultureInfo.InvariantCulture) : null),
                    Status = isChild || OrderTypes.IsStopLike(ticket.OrderType) ? OrderStatuses.PreSubmitted : OrderStatuses.Submitted,
                    AwaitingParent = isChild,
                };
            })];
        }
    }

    /// <summary>
    /// Accepts prepared orders at <paramref name="now"/>, or refuses them all when one cOID is still registered within
    /// <paramref name="duplicateWindow"/> (null: not checked here).
    /// </summary>
    public (IReadOnlyList<SimOrder>? Orders, string? Error) Register(IReadOnlyList<SimOrder> orders, DateTimeOffset now, TimeSpan? duplicateWindow)
    {
        ArgumentNullException.ThrowIfNull(orders);
        lock (Gate)
        {
            var duplicate = duplicateWindow is { } window
                ? orders.FirstOrDefault(o => o.COID is not null && IsRegistered(o.AccountId, o.COID, now, window))
                : null;
            if (duplicate is not null)
                return (null, DuplicateText(duplicate.COID!));
            foreach (var order in orders)
            {
                order.AcceptedAt = now;
                order.LastChangeAt = now;
                _byId[order.OrderId] = order;
                _inAcceptanceOrder.Add(order);
                _open.Add(order);
                if (!_byUser.TryGetValue(order.UserId, out var mine))
                    _byUser[order.UserId] = mine = [];
                mine.Add(order);
                if (order.COID is not null)
                    _coidRegisteredAt[(order.AccountId, order.COID)] = now;
                MarkChanged(order);
            }

            return (orders, null);
        }
    }

    private static decimal CashOrderSize(decimal cash, decimal referencePrice, CashQuantityEnding ending) =>
        FractionalQuantity.UnitsFor(
            ending == CashQuantityEnding.CancelledWhenSpent ? cash * (1m + FractionalQuantity.CashQuantityEstimateFactor) : cash, referencePrice);

    /// <summary>Where a ticket routes: conidex's exchange, else listingExchange, else SMART (the rules checked both).</summary>
    private static string RoutingOf(OrderTicket ticket)
    {
        var at = ticket.Conidex?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        return at >= 0 ? ticket.Conidex![(at + 1)..] : ticket.ListingExchange ?? "SMART";
    }

    /// <summary>
    /// Records a fill as one execution. Only while holding <see cref="Gate"/>. A cash-quantity order's size is first
    /// recomputed at the fill's price (filled + what the unspent cash buys there); <paramref name="quantity"/> must not be
    /// more than that.
    /// </summary>
    public void ApplyFill(SimOrder order, decimal quantity, decimal price, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.IsCashQuantity && !order.CancelsWhenCashSpent)
            order.Quantity = order.FilledQuantity + order.RemainingAt(price);
        if (quantity <= 0 || quantity > order.Remaining)
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"a fill must be positive and at most the {order.Remaining} that remains");
        var filledBefore = order.FilledQuantity;
        order.FilledQuantity += quantity;
        order.AvgPrice = Math.Round(((order.AvgPrice ?? 0m) * filledBefore + price * quantity) / order.FilledQuantity, 4, MidpointRounding.AwayFromZero);
        order.LastExecutionAt = now;
        order.LastChangeAt = now;
        order.Executions.Add(new SimExecution(
            $"{order.OrderId:x8}.{order.Executions.Count + 1:00}", quantity, price, now));
        if (order.Remaining <= 0)
            order.End(OrderStatuses.Filled, now);
        else if (order.CancelsWhenCashSpent && order.RemainingAt(price) <= 0)
            order.End(OrderStatuses.Cancelled, now); // IBKR cancels the rest of the maximum size once the cash is spent
        else
            order.Status = OrderStatuses.Submitted;
        MarkChanged(order);
        var key = (order.AccountId, order.Conid);
        _positions[key] = _positions.GetValueOrDefault(key) + (order.Side == "BUY" ? quantity : -quantity);
    }

    /// <summary>
    /// A cash-quantity order whose unspent cash no longer buys 0.0001 units is done: its size becomes what it filled and
    /// it is Filled, as IBKR ends a cash order once the amount is spent (with <see cref="CashQuantityEnding.CancelledWhenSpent"/>:
    /// Cancelled, keeping its maximum size). Only while holding <see cref="Gate"/>.
    /// </summary>
    public void CompleteSpentCashOrder(SimOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.CancelsWhenCashSpent)
        {
            order.End(OrderStatuses.Cancelled, now);
            MarkChanged(order);
            return;
        }

        order.Quantity = order.FilledQuantity;
        order.End(OrderStatuses.Filled, now);
        MarkChanged(order);
    }

    public decimal PositionOf(string accountId, int conid)
    {
        lock (Gate)
            return _positions.GetValueOrDefault((accountId, conid));
    }

    public IReadOnlyList<(int Conid, decimal Quantity)> PositionsOf(string accountId)
    {
        lock (Gate)
            return _positions.Where(p => p.Key.Account == accountId).Select(p => (p.Key.Conid, p.Value)).ToList();
    }

    public void Clear()
    {
        lock (Gate)
        {
            _byId.Clear();
            _inAcceptanceOrder.Clear();
            _open.Clear();
            _byUser.Clear();
            _coidRegisteredAt.Clear();
            _positions.Clear();
            _changed.Clear();
            _changedIds.Clear();
        }
    }

    private bool IsRegistered(string accountId, string coid, DateTimeOffset now, TimeSpan window) =>
        _coidRegisteredAt.TryGetValue((accountId, coid), out var registeredAt) && IbkrRules.IsDuplicateClientOrderId(registeredAt, now, window);
}

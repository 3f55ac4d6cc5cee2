using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Every accepted order, the cOIDs already used per account, and the positions fills built. One lock for all.</summary>
public sealed class OrderBook
{
    private const long FirstOrderId = 1_000_000_001;
    private readonly Dictionary<long, SimOrder> _byId = [];
    private readonly List<SimOrder> _inAcceptanceOrder = [];
    private readonly List<SimOrder> _open = [];
    private readonly Dictionary<string, List<SimOrder>> _byUser = new(StringComparer.Ordinal);
    private readonly HashSet<(string Account, string COID)> _coids = [];
    private readonly Dictionary<(string Account, int Conid), decimal> _positions = [];
    private long _nextOrderId = FirstOrderId;

    /// <summary>Hold this while reading or changing any order.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Orders in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> Orders => _inAcceptanceOrder;

    /// <summary>Orders that were not final at the end of the last tick, in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> OpenOrders => _open;

    /// <summary>One user's orders in acceptance order. Only while holding <see cref="Gate"/>.</summary>
    public IReadOnlyList<SimOrder> OrdersOf(string userId) => _byUser.TryGetValue(userId, out var orders) ? orders : [];

    /// <summary>Forgets final orders from <see cref="OpenOrders"/>. Only while holding <see cref="Gate"/>.</summary>
    public void CompactOpenOrders() => _open.RemoveAll(o => o.IsTerminal);

    public static string DuplicateText(string coid) =>
        $"Order couldn't be submitted: Local order ID={coid} is already registered.";

    public SimOrder? Find(long orderId)
    {
        lock (Gate)
            return _byId.GetValueOrDefault(orderId);
    }

    public string? DuplicateOf(string accountId, IEnumerable<OrderTicket> tickets)
    {
        lock (Gate)
        {
            var duplicate = tickets.FirstOrDefault(t => t.COID is not null && _coids.Contains((accountId, t.COID)));
            return duplicate is null ? null : DuplicateText(duplicate.COID!);
        }
    }

    /// <summary>Accepts the tickets of one request (a single order, a bracket or an OCA group) or refuses a duplicate cOID.</summary>
    public (IReadOnlyList<SimOrder>? Orders, string? Error) Accept(string userId, string accountId, IReadOnlyList<OrderTicket> tickets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        lock (Gate)
        {
            var duplicate = tickets.FirstOrDefault(t => t.COID is not null && _coids.Contains((accountId, t.COID)));
            if (duplicate is not null)
                return (null, DuplicateText(duplicate.COID!));
            var accepted = new List<SimOrder>();
            var ids = tickets.ToDictionary(t => t, _ => _nextOrderId++);
            var ocaGroup = tickets.Count > 1 && tickets.All(t => t.IsSingleGroup)
                ? "oca-" + ids[tickets[0]].ToString(CultureInfo.InvariantCulture)
                : null;
            foreach (var ticket in tickets)
            {
                var parent = ticket.ParentId is null ? null : tickets.First(t => t.COID == ticket.ParentId);
                var isChild = parent is not null;
                var siblings = isChild ? tickets.Count(t => t.ParentId == ticket.ParentId) : 0;
                var order = new SimOrder
                {
                    OrderId = ids[ticket],
                    UserId = userId,
                    AccountId = accountId,
                    Conid = ticket.Conid,
                    Side = ticket.Side,
                    OrderType = ticket.OrderType,
                    Quantity = ticket.Quantity,
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
                    AcceptedAt = now,
                    LastChangeAt = now,
                };
                _byId[order.OrderId] = order;
                _inAcceptanceOrder.Add(order);
                _open.Add(order);
                if (!_byUser.TryGetValue(userId, out var mine))
                    _byUser[userId] = mine = [];
                mine.Add(order);
                if (order.COID is not null)
                    _coids.Add((accountId, order.COID));
                accepted.Add(order);
            }

            return (accepted, null);
        }
    }

    /// <summary>Records a fill. Only while holding <see cref="Gate"/>.</summary>
    public void ApplyFill(SimOrder order, decimal quantity, decimal price, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var filledBefore = order.FilledQuantity;
        order.FilledQuantity += quantity;
        order.AvgPrice = Math.Round(((order.AvgPrice ?? 0m) * filledBefore + price * quantity) / order.FilledQuantity, 4, MidpointRounding.AwayFromZero);
        order.LastExecutionAt = now;
        order.LastChangeAt = now;
        order.Status = order.Remaining <= 0 ? OrderStatuses.Filled : OrderStatuses.Submitted;
        var key = (order.AccountId, order.Conid);
        _positions[key] = _positions.GetValueOrDefault(key) + (order.Side == "BUY" ? quantity : -quantity);
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
            _coids.Clear();
            _positions.Clear();
        }
    }
}

using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Engine;

/// <summary>How an order's end spreads: to its waiting bracket children, and from a fill to its OCA siblings. Only while holding the book's gate.</summary>
public static class OrderEndings
{
    /// <summary>Cancels the order (by request, by the exchange, or as an OCA sibling) and the bracket children still waiting for it.</summary>
    public static void Cancel(OrderBook book, SimOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(order);
        order.End(OrderStatuses.Cancelled, now);
        book.MarkChanged(order);
        foreach (var child in book.OpenOrders.Where(o => o.ParentOrderId == order.OrderId && !o.IsTerminal && o.AwaitingParent).ToList())
            Cancel(book, child, now);
    }

    /// <summary>The destination refused the order after acceptance: Inactive; waiting bracket children are cancelled.</summary>
    public static void Deactivate(OrderBook book, SimOrder order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(order);
        order.End(OrderStatuses.Inactive, now);
        book.MarkChanged(order);
        foreach (var child in book.OpenOrders.Where(o => o.ParentOrderId == order.OrderId && !o.IsTerminal && o.AwaitingParent).ToList())
            Cancel(book, child, now);
    }

    /// <summary>A fill of one member of an OCA group (or of a bracket's children) cancels the others.</summary>
    public static void CancelOcaSiblings(OrderBook book, SimOrder filled, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(filled);
        if (filled.OcaGroup is null)
            return;
        foreach (var sibling in book.OpenOrders.Where(o => o.OcaGroup == filled.OcaGroup && o.OrderId != filled.OrderId && !o.IsTerminal).ToList())
            Cancel(book, sibling, now);
    }
}

using System.Globalization;
using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>One frame IBKR queued on a user's socket and has not delivered yet (numbered per world, for the trace).</summary>
public abstract record StreamFrame(long Number)
{
    public abstract string Topic { get; }
}

/// <summary>
/// A <c>sor</c> element: a sparse delta. The first frame of an order on a socket is whole (with <c>order_ref</c>);
/// later ones carry <c>acct</c>, <c>orderId</c> and only what changed since the last frame IBKR sent on that socket
/// (delivered or not: a lost frame's news is lost), and sometimes nothing else at all.
/// </summary>
public sealed record OrderDeltaFrame(long Number, LiveOrder Delta) : StreamFrame(Number)
{
    public override string Topic => "sor";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"sor#{Number} {Delta.OrderId}{(Delta.OrderRef is null ? string.Empty : " ref")} {Delta.Status ?? "-"} filled {Delta.FilledQuantity?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
}

/// <summary>A <c>str</c> element: one execution, keyed by its execution id (replayed on every subscription).</summary>
public sealed record ExecutionFrame(long Number, Trade Execution) : StreamFrame(Number)
{
    public override string Topic => "str";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"str#{Number} {Execution.ExecutionId} {Execution.OrderId} size {Execution.Size}");
}

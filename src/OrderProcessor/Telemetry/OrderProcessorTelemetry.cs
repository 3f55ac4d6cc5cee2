using System.Diagnostics;

namespace OrderProcessor.Telemetry;

/// <summary>The processor's own trace source: spans for IBKR work, parented to the command that created the order.</summary>
public static class OrderProcessorTelemetry
{
    public const string SourceName = "OrderProcessor";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a span for IBKR work on an order, as a child of the trace of the command that placed it.</summary>
    public static Activity? StartWork(string name, string? traceParent, Guid orderId, string userId)
    {
        var activity = StartChild(name, traceParent);
        activity?.SetTag("order.id", orderId);
        activity?.SetTag("user.id", userId);
        return activity;
    }

    /// <summary>Starts a span under a stored W3C trace parent (or a new trace when there is none).</summary>
    public static Activity? StartChild(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, ActivityKind.Internal, parent)
            : Source.StartActivity(name, ActivityKind.Internal);
}

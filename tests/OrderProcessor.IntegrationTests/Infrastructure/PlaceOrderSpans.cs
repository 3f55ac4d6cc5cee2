using System.Diagnostics;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Which PlaceOrder a span of Npgsql's trace belongs to (for tests that count an order's statements).</summary>
public static class PlaceOrderSpans
{
    /// <summary>The message id of the PlaceOrderConsumer's span <paramref name="activity"/> ran under, if any.</summary>
    public static string? MessageIdOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source.Name == "MassTransit"
                && parent.GetTagItem("messaging.masstransit.consumer_type") as string == "OrderProcessor.Consumers.PlaceOrderConsumer")
            {
                return parent.GetTagItem("messaging.masstransit.message_id") as string;
            }
        }

        return null;
    }
}

using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Skeleton;

/// <summary>
/// The inbox keys on the message id and remembers the content: the same command again is a silent repeat, a different
/// command under the same id is refused loudly (ConflictingDuplicate event, metric, warning) and the first is unaffected.
/// </summary>
public sealed class When_a_message_id_is_reused_for_a_different_command(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_reject_the_second_command_with_an_event_and_leave_the_first_order_alone()
    {
        var meters = fixture.Processor.Services.GetRequiredService<IMeterFactory>();
        using var refused = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.commands.refused");
        var messageId = Guid.NewGuid();
        var first = TestOrders.Limit() with { Conid = 8101 };
        await fixture.Downstream.Publisher.Publish(first, c => c.MessageId = messageId);
        await fixture.Downstream.WaitForAsync(first.OrderId, e => e.Any(x => x.Event is OrderSubmitted));

        var repeat = first;
        var other = TestOrders.Limit() with { Conid = 8101 };
        var sameOrderOtherContent = first with { Quantity = 99 };
        await fixture.Downstream.Publisher.Publish(repeat, c => c.MessageId = messageId);
        await fixture.Downstream.Publisher.Publish(other, c => c.MessageId = messageId);
        await fixture.Downstream.Publisher.Publish(sameOrderOtherContent, c => c.MessageId = messageId);

        var otherEvents = await fixture.Downstream.WaitForAsync(other.OrderId, e => e.Any(x => x.Event is OrderRejected));
        var firstEvents = await fixture.Downstream.WaitForAsync(first.OrderId, e => e.Any(x => x.Event is OrderRejected));
        await fixture.WaitForQueueDrainedAsync("place-order");
        await fixture.WaitForOutboxPublishedAsync();
        var rejected = (OrderRejected)otherEvents.Single(e => e.Event is OrderRejected).Event;
        var rejectedSame = (OrderRejected)firstEvents.Single(e => e.Event is OrderRejected).Event;
        await using var db = fixture.Db();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == first.OrderId);
        var counted = refused.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], nameof(RejectionReasonCode.ConflictingDuplicate))).Sum(m => m.Value);
        output.WriteLine($"repeat: silent; other order under the same message id: {rejected.ReasonCode} ({rejected.Reason}); same order id, other content: {rejectedSame.ReasonCode} (sequence {rejectedSame.Sequence})");
        output.WriteLine($"first order: quantity {order.Quantity}, status {order.Status}, events {string.Join(", ", fixture.EventNames(first.OrderId))}; orderprocessor.commands.refused{{ConflictingDuplicate}} = {counted}");

        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, rejected.ReasonCode);
        Assert.Contains(messageId.ToString(), rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, rejectedSame.ReasonCode);
        Assert.Equal(0, rejectedSame.Sequence);
        Assert.Equal(10m, order.Quantity);
        Assert.False(await db.Orders.AnyAsync(o => o.OrderId == other.OrderId), "the second command was stored");
        Assert.Single(firstEvents, e => e.Event is OrderAccepted);
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{first.OrderId:N}");
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{other.OrderId:N}");
        Assert.Equal(2, counted);
    }
}

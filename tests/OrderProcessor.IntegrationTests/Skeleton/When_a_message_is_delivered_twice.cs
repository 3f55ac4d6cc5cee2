using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Skeleton;

public sealed class When_a_message_is_delivered_twice(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_have_no_second_effect_for_the_same_message_id_or_the_same_command()
    {
        var command = TestOrders.Limit();
        var messageId = Guid.NewGuid();

        // The same message delivered three times, and the same command published again under a new message id.
        for (var i = 0; i < 3; i++)
        {
            await fixture.Downstream.Publisher.Publish(command, context => context.MessageId = messageId);
        }

        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForQueueDrainedAsync("place-order");
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderSubmitted));
        await fixture.WaitForOutboxPublishedAsync();
        await Task.Delay(500);

        await using var db = fixture.Db();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.OrderId == command.OrderId));
        Assert.Equal(1, await db.Outbox.CountAsync(o => o.OrderId == command.OrderId && o.MessageType == nameof(OrderAccepted)));
        Assert.Equal(2, await db.Inbox.CountAsync());
        var received = fixture.Downstream.For(command.OrderId);
        Assert.Single(received, e => e.Event is OrderAccepted);
        Assert.Equal(received.Count, received.Select(e => e.Event.Sequence).Distinct().Count());
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }
}

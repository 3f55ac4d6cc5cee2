using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;

namespace OrderProcessor.IntegrationTests.Skeleton;

public sealed class When_an_order_is_placed(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_record_saga_inbox_and_outbox_rows_and_publish_OrderAccepted()
    {
        var command = TestOrders.Limit();
        var messageId = Guid.NewGuid();

        await fixture.Downstream.Publisher.Publish(command, context => context.MessageId = messageId);

        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Count >= 1);
        var received = events[0];
        var accepted = Assert.IsType<OrderAccepted>(received.Event);
        Assert.Equal(1, accepted.Sequence);
        Assert.Equal($"op-{command.OrderId:N}", accepted.ClientOrderId);
        Assert.Equal((command.UserId, command.AccountId, command.Conid, command.Quantity, command.LimitPrice),
            (accepted.UserId, accepted.AccountId, (int?)accepted.Conid, (decimal?)accepted.Quantity, accepted.LimitPrice));
        Assert.Equal(OrderType.Limit, accepted.OrderType);
        Assert.Equal(messageId, accepted.CausationId);

        await using var db = fixture.Db();
        var order = await db.Orders.SingleAsync(o => o.OrderId == command.OrderId);
        Assert.Equal(command.Quantity, order.Quantity);
        Assert.True(await db.Inbox.AnyAsync(i => i.MessageId == messageId));

        var row = await db.Outbox.SingleAsync(o => o.OrderId == command.OrderId && o.OrderSequence == 1);
        Assert.Equal(received.MessageId, row.MessageId);
        Assert.Equal(nameof(OrderAccepted), row.MessageType);
        Assert.NotNull(row.PublishedAt);
        Assert.Null(row.PreviousHash);
        Assert.Equal(OutboxHash.Compute(row), row.Hash);
    }

    [Fact]
    public async Task Should_track_each_leg_of_a_bracket_as_its_own_order_linked_to_the_parent()
    {
        var command = TestOrders.Limit(limitPrice: 100m) with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95m },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110m },
        };

        await fixture.Downstream.Publisher.Publish(command);

        var stopLoss = Assert.IsType<OrderAccepted>(
            (await fixture.Downstream.WaitForAsync(command.StopLoss.OrderId, e => e.Count >= 1))[0].Event);
        var takeProfit = Assert.IsType<OrderAccepted>(
            (await fixture.Downstream.WaitForAsync(command.TakeProfit.OrderId, e => e.Count >= 1))[0].Event);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Count >= 1);

        Assert.Equal((OrderType.Stop, OrderSide.Sell, 95m, command.OrderId),
            (stopLoss.OrderType, stopLoss.Side, stopLoss.StopPrice!.Value, stopLoss.ParentOrderId!.Value));
        Assert.Equal((OrderType.Limit, OrderSide.Sell, 110m, command.OrderId),
            (takeProfit.OrderType, takeProfit.Side, takeProfit.LimitPrice!.Value, takeProfit.ParentOrderId!.Value));
        await using var db = fixture.Db();
        Assert.Equal(3, await db.Orders.CountAsync(o => o.OrderId == command.OrderId || o.ParentOrderId == command.OrderId));
    }

    [Fact]
    public async Task Should_keep_every_outbox_row_after_publishing_it()
    {
        var commands = Enumerable.Range(0, 20).Select(_ => TestOrders.Market()).ToList();
        foreach (var command in commands)
        {
            await fixture.Downstream.Publisher.Publish(command);
        }

        foreach (var command in commands)
        {
            await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Count >= 1);
        }

        foreach (var command in commands)
        {
            await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        }

        await fixture.WaitForOutboxPublishedAsync();
        await using var db = fixture.Db();
        var ids = commands.Select(c => c.OrderId).ToList();
        var rows = await db.Outbox.Where(o => ids.Contains(o.OrderId)).ToListAsync();
        Assert.Equal(20, rows.Count(r => r.MessageType == nameof(OrderAccepted)));
        Assert.Equal(20, rows.Count(r => r.MessageType == nameof(OrderFilled)));
        Assert.All(rows, r => Assert.NotNull(r.PublishedAt));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        foreach (var command in commands)
        {
            await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        }

        Assert.Equal(rows.Count, fixture.Downstream.Received.Count(e => ids.Contains(e.Event.OrderId)));
    }
}

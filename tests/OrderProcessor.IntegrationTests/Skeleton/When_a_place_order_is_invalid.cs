using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Skeleton;

public sealed class When_a_place_order_is_invalid(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_reject_a_limit_order_without_a_limit_price_naming_the_field()
    {
        var command = TestOrders.Limit() with { LimitPrice = null };
        await fixture.Downstream.Publisher.Publish(command);
        var violation = await SingleViolationAsync(command.OrderId);
        Assert.Equal(("limitPrice", "required"), (violation.Field, violation.Rule));
        Assert.Contains("LMT", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_quantity_zero_naming_the_field()
    {
        var command = TestOrders.Market() with { Quantity = 0 };
        await fixture.Downstream.Publisher.Publish(command);
        var violation = await SingleViolationAsync(command.OrderId);
        Assert.Equal(("quantity", "positive"), (violation.Field, violation.Rule));
    }

    [Fact]
    public async Task Should_reject_an_unknown_order_type_sent_as_raw_json_naming_the_field()
    {
        var orderId = Guid.NewGuid();
        await RawCommandPublisher.PublishAsync(fixture.Servers, nameof(PlaceOrder), $$"""
            {"orderId":"{{orderId}}","userId":"alice","accountId":"DU1234567","conid":265598,"side":"BUY",
             "quantity":5,"orderType":"MOONSHOT","timeInForce":"DAY"}
            """);
        var violation = await SingleViolationAsync(orderId);
        Assert.Equal(("orderType", "one-of"), (violation.Field, violation.Rule));
        Assert.Contains("STOP_LIMIT", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_fault_an_unreadable_message_to_the_error_queue_and_keep_consuming()
    {
        await RawCommandPublisher.PublishBodyAsync(fixture.Servers, nameof(PlaceOrder),
            Encoding.UTF8.GetBytes("this is not json {"), "application/vnd.masstransit+json");
        var next = TestOrders.Market();
        await fixture.Downstream.Publisher.Publish(next);

        var events = await fixture.Downstream.WaitForAsync(next.OrderId, e => e.Count >= 1);
        Assert.IsType<OrderAccepted>(events[0].Event);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await fixture.MessagesInQueueAsync("place-order_error") < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(1, await fixture.MessagesInQueueAsync("place-order_error"));
    }

    private async Task<FieldViolation> SingleViolationAsync(Guid orderId)
    {
        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Count >= 1);
        var rejected = Assert.IsType<OrderRejected>(Assert.Single(events).Event);
        Assert.Equal(RejectionReasonCode.ValidationFailed, rejected.ReasonCode);
        await using var db = fixture.Db();
        var order = await db.Orders.SingleAsync(o => o.OrderId == orderId);
        Assert.Equal(OrderStatus.Rejected, order.Status);
        return Assert.Single(rejected.Violations);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Resilience;

/// <summary>
/// Through the whole processor: a set-up or token failure is never the order's outcome (the order waits and goes once the
/// cause is gone), and a user PiTrade does not entitle gets an OrderRejected with its own reason code.
/// </summary>
public sealed class When_set_up_and_token_failures_meet_orders(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_keep_an_order_waiting_through_suppression_400s_and_submit_it_once_they_stop()
    {
        var control = fixture.Simulator.Control;
        var order = TestOrders.Market(userId: "carol") with { AccountId = SimulatorUnderTest.Accounts["carol"], Conid = 9201 };
        control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 400, CannedBody = "{\"error\":\"Bad Request\"}", PathContains = "/questions/suppress", UserId = "carol" });

        await fixture.Downstream.Publisher.Publish(order);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await using (var db = fixture.Db())
        {
            var waiting = await db.Orders.FindAsync(order.OrderId);
            output.WriteLine($"after 4 s of suppression 400s: {waiting?.Status} ({waiting?.LastReason}), attempts counted {waiting?.WorkAttempts}");
            Assert.Equal(OrderStatus.Submitting, waiting!.Status);
        }

        control.ClearFaults();
        var submitted = await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Submitted, TimeSpan.FromSeconds(30));
        var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderSubmitted));

        output.WriteLine($"after the fault cleared: {submitted.Status}; events: {string.Join(", ", events.Select(e => e.Event.GetType().Name))}");
        Assert.DoesNotContain(events, e => e.Event is OrderRejected or OrderFailed);
        Assert.Single(control.Ledger(), l => l.COID == $"op-{order.OrderId:N}");
    }

    [Fact]
    public async Task Should_reject_the_orders_of_a_user_pitrade_does_not_entitle_with_its_own_reason()
    {
        var control = fixture.Simulator.Control;
        var order = TestOrders.Market(userId: "dave") with { AccountId = SimulatorUnderTest.Accounts["dave"], Conid = 9202 };
        control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 403, CannedBody = "{\"error\":\"user not entitled\"}", PathContains = "/brokerage-bearer-token", UserId = "dave" });

        await fixture.Downstream.Publisher.Publish(order);
        var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderRejected or OrderFailed));
        control.ClearFaults();

        var rejected = Assert.IsType<OrderRejected>(events.Select(e => e.Event).Single(e => e is OrderRejected or OrderFailed));
        output.WriteLine($"{rejected.ReasonCode}: {rejected.Reason}");
        Assert.Equal(RejectionReasonCode.UserNotEntitled, rejected.ReasonCode);
        Assert.DoesNotContain(control.Ledger(), l => l.COID == $"op-{order.OrderId:N}");
    }
}

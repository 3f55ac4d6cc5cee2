using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.IntegrationTests.Lifecycle;

public sealed class When_ibkr_is_unreliable(When_ibkr_is_unreliable.Fixture fixture) : IClassFixture<When_ibkr_is_unreliable.Fixture>
{
    /// <summary>Short work leases, so a stopped processor's submission is reconciled within seconds.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Lifecycle:WorkLease"] = "00:00:02",
            // A new instance (or a restarted one) opens a brokerage session of its own, which the previous holder's
            // blocks unless it competes: IBKR allows one session per username.
            ["Brokerage:Ibkr:Compete"] = "true",
            ["Brokerage:Timeouts:Attempt"] = "00:00:00.800",
            ["Brokerage:Timeouts:Total"] = "00:00:00.800",
        };
    }

    [Fact]
    public async Task Should_place_exactly_one_order_when_the_answer_to_the_placement_is_lost()
    {
        var command = TestOrders.Market(userId: "bob") with { AccountId = "DU2345678", Conid = 4001 };
        fixture.Simulator.Control.SetFaults(new FaultSettings { AnswerLostRate = 1.0, PathContains = "/orders", UserId = "bob" });
        try
        {
            await fixture.Downstream.Publisher.Publish(command);
            await WaitUntilAsync(() => fixture.Simulator.Control.Ledger().Any(l => l.COID == $"op-{command.OrderId:N}"));
        }
        finally
        {
            fixture.Simulator.Control.ClearFaults();
        }

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
        Assert.Single(fixture.Simulator.Control.Requests(), r => r.AnswerLost);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_place_exactly_one_order_when_the_processor_stops_between_submitting_and_the_answer()
    {
        var command = TestOrders.Market(userId: "carol") with { AccountId = "DU3456789", Conid = 4002 };
        fixture.Simulator.Control.SetFaults(new FaultSettings { LatencyMs = 3000, PathContains = "/orders", UserId = "carol" });
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Submitting);

        await fixture.RestartProcessorAsync(() =>
        {
            fixture.Simulator.Control.ClearFaults();
            return Task.CompletedTask;
        });

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_place_one_order_at_ibkr_for_three_deliveries_and_two_publications()
    {
        var command = TestOrders.Market() with { Conid = 4003 };
        var messageId = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await fixture.Downstream.Publisher.Publish(command, c => c.MessageId = messageId);
        }

        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.WaitForQueueDrainedAsync("place-order");
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
        Assert.Single(fixture.Downstream.For(command.OrderId), e => e.Event is OrderAccepted);
    }

    [Fact]
    public async Task Should_reject_with_the_question_text_and_leave_nothing_working_when_ibkr_asks_an_unknown_question()
    {
        var command = TestOrders.Limit(userId: "bob") with { AccountId = "DU2345678", Conid = 4004 };
        fixture.Simulator.Control.SetExtraQuestions([new Simulator.Orders.Question("o9999", "This order is unusual. Are you sure you want to submit it?")], "bob");
        try
        {
            await fixture.Downstream.Publisher.Publish(command);
            var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderRejected));
            var rejected = (OrderRejected)events[^1].Event;
            Assert.Equal(RejectionReasonCode.UnansweredQuestion, rejected.ReasonCode);
            Assert.Equal(["o9999"], rejected.QuestionIds);
            Assert.Contains("Are you sure", rejected.Reason, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Simulator.Control.SetExtraQuestions([], "bob");
        }

        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}" && l.Status is not ("Cancelled" or "Inactive"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not come true within 15 s");
    }
}

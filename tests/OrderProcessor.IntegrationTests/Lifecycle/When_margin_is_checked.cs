using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Lifecycle;

public sealed class When_margin_is_checked(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_answer_a_standalone_request_with_the_parsed_figures()
    {
        fixture.Simulator.Control.PinPrice(3001, 200m);
        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        var checkId = Guid.NewGuid();

        var response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = checkId,
            UserId = "alice",
            AccountId = "DU1234567",
            Conid = 3001,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Limit,
            LimitPrice = 200m,
            TimeInForce = TimeInForce.Day,
        });

        Assert.True(response.Is(out Response<MarginCheckCompleted>? completed));
        var figures = completed!.Message;
        Assert.Equal((checkId, "USD", 2000m), (figures.OrderId, figures.Currency, figures.Amount!.Value));
        Assert.True(figures.Initial.After > figures.Initial.Current);
        Assert.Equal(1_000_000m, figures.Equity.Current);
        Assert.Null(figures.Approved);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{checkId:N}");
    }

    [Fact]
    public async Task Should_answer_an_invalid_request_with_a_rejection_naming_the_field()
    {
        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        var response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = "DU1234567",
            Conid = 3001,
            Side = OrderSide.Buy,
            Quantity = 0,
            OrderType = OrderType.Market,
        });
        Assert.True(response.Is(out Response<OrderRejected>? rejected));
        Assert.Equal("quantity", rejected!.Message.Violations[0].Field);
    }

    [Fact]
    public async Task Should_reject_a_place_order_whose_post_trade_margin_breaks_the_policy_with_its_figures()
    {
        fixture.Simulator.Control.PinPrice(3002, 500m);
        var command = TestOrders.Limit(quantity: 5000, limitPrice: 500m) with { Conid = 3002, MarginCheck = MarginCheckPolicy.RejectOnExcessInitialMargin };
        // 2,500,000 of notional: above Risk:MaxNotional's default, which would refuse it before the margin policy this test is about.
        await using (var db = fixture.Db())
        {
            await global::OrderProcessor.Risk.RiskLimitCommands.SetAsync(db, "account", command.AccountId!, new global::OrderProcessor.Risk.RiskLimitChange(MaxNotional: 10_000_000m), "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }


        await fixture.Downstream.Publisher.Publish(command);

        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderRejected));
        Assert.Equal([nameof(OrderAccepted), nameof(MarginCheckCompleted), nameof(OrderRejected)], fixture.EventNames(command.OrderId));
        var check = (MarginCheckCompleted)events[1].Event;
        Assert.Equal(false, check.Approved);
        Assert.True(check.Initial.After > check.Equity.After * 0.5m);
        Assert.Equal(RejectionReasonCode.MarginPolicy, ((OrderRejected)events[2].Event).ReasonCode);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }

    [Fact]
    public async Task Should_submit_a_place_order_the_policy_approves()
    {
        var command = TestOrders.Market() with { Conid = 3003, MarginCheck = MarginCheckPolicy.RejectOnBrokerError };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderSubmitted));
        Assert.Equal([nameof(OrderAccepted), nameof(MarginCheckCompleted), nameof(OrderSubmitted)], fixture.EventNames(command.OrderId).Take(3));
        Assert.True(((MarginCheckCompleted)fixture.Downstream.For(command.OrderId)[1].Event).Approved);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// Each pre-trade risk control, with its limit set on the account (or user) through <see cref="RiskLimitCommands"/>:
/// the refused order is Rejected with the control's code and the limit in its reason, nothing of it reaches IBKR (the
/// simulator's ledger), and the next valid order is accepted and fills. Each scenario has its own user, account or
/// contract, and clears its row at the end.
/// </summary>
public sealed class When_each_risk_control_refuses(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_refuse_a_quantity_above_the_maximum()
    {
        await WithLimitsAsync("account", "DU1234567", new RiskLimitChange(MaxQuantity: 50), async () =>
        {
            var refused = TestOrders.Limit("alice", quantity: 60, limitPrice: 1m) with { Conid = 4101 };
            await RefusedAsync(refused, RejectionReasonCode.MaxQuantityExceeded, "quantity 60 exceeds the maximum of 50 per order");
            await FillsAsync(TestOrders.Market("alice", quantity: 50) with { Conid = 4101 });
        });
    }

    [Fact]
    public async Task Should_refuse_a_modification_above_the_maximum_quantity_and_leave_the_order_as_it_was()
    {
        await WithLimitsAsync("account", "DU1234567", new RiskLimitChange(MaxQuantity: 50), async () =>
        {
            var resting = TestOrders.Limit("alice", quantity: 10, limitPrice: 1m) with { Conid = 4107 };
            await fixture.Downstream.Publisher.Publish(resting);
            await fixture.Downstream.WaitForAsync(resting.OrderId, e => e.Any(x => x.Event is OrderSubmitted));

            await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = resting.OrderId, UserId = "alice", Quantity = 60 });
            var events = await fixture.Downstream.WaitForAsync(resting.OrderId, e => e.Any(x => x.Event is OrderRejected));
            var rejected = events.Select(e => e.Event).OfType<OrderRejected>().Single();
            await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = resting.OrderId, UserId = "alice", Quantity = 20 });
            await fixture.Downstream.WaitForAsync(resting.OrderId, e => e.Any(x => x.Event is OrderModified));
            output.WriteLine($"modify to 60: {rejected.ReasonCode} (command {rejected.Command}, sequence {rejected.Sequence}): \"{rejected.Reason}\"; modify to 20: OrderModified");

            Assert.Equal((RejectionReasonCode.MaxQuantityExceeded, nameof(ModifyOrder), 0), (rejected.ReasonCode, rejected.Command, rejected.Sequence));
            Assert.Contains("quantity 60 exceeds the maximum of 50 per order", rejected.Reason, StringComparison.Ordinal);
            // The refused quantity never reached IBKR.
            Assert.NotEqual(60, fixture.Simulator.Control.Ledger().Single(l => l.COID == $"op-{resting.OrderId:N}").Quantity);
            await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = resting.OrderId, UserId = "alice", Reason = "test" });
        });
    }

    [Fact]
    public async Task Should_refuse_a_limit_order_whose_notional_is_above_the_maximum()
    {
        await WithLimitsAsync("account", "DU1234567", new RiskLimitChange(MaxNotional: 1000), async () =>
        {
            var refused = TestOrders.Limit("alice", quantity: 20, limitPrice: 101.25m) with { Conid = 4102 };
            await RefusedAsync(refused, RejectionReasonCode.MaxNotionalExceeded, "notional 2,025.00 (limit 101.25 × 20) exceeds the maximum of 1,000 per order");
            var stop = TestOrders.Limit("alice", quantity: 20) with { Conid = 4102, OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 60m, Side = OrderSide.Sell };
            await RefusedAsync(stop, RejectionReasonCode.MaxNotionalExceeded, "(stop 60.00 × 20)");
            // A market order has no price of its own: not checked against the notional with the default Risk:ReferencePriceForMarketOrders=Skip.
            await FillsAsync(TestOrders.Market("alice", quantity: 5) with { Conid = 4102 });
        });
    }

    [Fact]
    public async Task Should_refuse_a_working_order_above_the_maximum_per_contract_and_side()
    {
        await WithLimitsAsync("account", "DU2345678", new RiskLimitChange(MaxWorkingOrdersPerContractSide: 3), async () =>
        {
            // Resting far below the market: they stay working.
            var resting = Enumerable.Range(0, 3).Select(i => TestOrders.Limit("bob", quantity: 1, limitPrice: 1m + i) with { AccountId = "DU2345678", Conid = 4103 }).ToList();
            foreach (var order in resting)
            {
                await fixture.Downstream.Publisher.Publish(order);
                await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderSubmitted));
            }

            var fourth = TestOrders.Limit("bob", quantity: 1, limitPrice: 5m) with { AccountId = "DU2345678", Conid = 4103 };
            await RefusedAsync(fourth, RejectionReasonCode.MaxWorkingOrdersExceeded, "account DU2345678 already has 3 working BUY orders for conid 4103 (maximum 3)");
            // The other side of the same contract, and the same side after a cancel frees a place, go through.
            await FillsAsync(TestOrders.Market("bob", quantity: 1) with { AccountId = "DU2345678", Conid = 4103, Side = OrderSide.Sell });
            await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = resting[0].OrderId, UserId = "bob", Reason = "test" });
            await fixture.Downstream.WaitForAsync(resting[0].OrderId, e => e.Any(x => x.Event is OrderCancelled));
            await FillsAsync(TestOrders.Market("bob", quantity: 1) with { AccountId = "DU2345678", Conid = 4103 });
            foreach (var order in resting.Skip(1))
            {
                await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = order.OrderId, UserId = "bob", Reason = "test" });
            }
        });
    }

    [Fact]
    public async Task Should_refuse_a_probable_duplicate_unless_intended()
    {
        await WithLimitsAsync("account", "DU3456789", new RiskLimitChange(DuplicateWindow: TimeSpan.FromSeconds(30)), async () =>
        {
            var first = TestOrders.Market("carol", quantity: 3) with { AccountId = "DU3456789", Conid = 4104 };
            await FillsAsync(first);
            var again = first with { OrderId = Guid.NewGuid() };
            await RefusedAsync(again, RejectionReasonCode.ProbableDuplicate, $"as order {first.OrderId} accepted");
            await FillsAsync(again with { OrderId = Guid.NewGuid(), Intended = true });
        });
    }

    [Fact]
    public async Task Should_refuse_orders_above_the_rate_of_an_account()
    {
        await WithLimitsAsync("account", "DU4567890", new RiskLimitChange(MaxOrdersPerSecond: 2), async () =>
            await RateAsync("dave", "DU4567890", 4105, "account DU4567890 sent more than 2 orders in 1 s"));
    }

    [Fact]
    public async Task Should_refuse_orders_above_the_rate_of_a_user()
    {
        await WithLimitsAsync("user", "erin", new RiskLimitChange(MaxOrdersPerSecond: 2), async () =>
            await RateAsync("erin", "DU5678901", 4106, "user erin sent more than 2 orders in 1 s"));
    }

    [Fact]
    public async Task Should_refuse_a_flood_past_the_rate_in_one_transaction_per_order_after_the_first_refusal()
    {
        // Each order's saves that carried its spend (CALL spend_rate_tokens at the end of the insert), under its PlaceOrder's
        // consume span (Npgsql's own trace): one that was short is thrown away and the command decided again.
        var savesWithTheSpend = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && PlaceOrderSpans.MessageIdOf(activity) is { } messageId
                    && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string text && text.Contains("CALL spend_rate_tokens", StringComparison.Ordinal))
                {
                    savesWithTheSpend.AddOrUpdate(messageId, 1, (_, n) => n + 1);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // Per minute: nothing refills within the test, and a refusal keeps the account spending first for 30 s (until a
        // token refills), however slowly the orders follow one another.
        await WithLimitsAsync("account", "DU6789012", new RiskLimitChange(MaxOrdersPerMinute: 2), async () =>
        {
            // One after the other, as a flooding upstream's orders arrive: 2 accepted, then refusals.
            var messageIds = new Dictionary<Guid, string>();
            var outcomes = new List<IOrderEvent>();
            foreach (var order in Enumerable.Range(0, 6).Select(_ => TestOrders.Market("frank", quantity: 1) with { AccountId = "DU6789012", Conid = 4107 }))
            {
                var messageId = NewId.NextGuid();
                messageIds[order.OrderId] = messageId.ToString();
                await fixture.Downstream.Publisher.Publish(order, context => context.MessageId = messageId);
                var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderAccepted or OrderRejected));
                outcomes.Add(events.First(x => x.Event is OrderAccepted or OrderRejected).Event);
            }

            var refused = outcomes.OfType<OrderRejected>().Select(r => r.OrderId).ToList();
            var thrownAway = refused.Select(id => savesWithTheSpend.GetValueOrDefault(messageIds[id])).ToList();
            output.WriteLine($"{outcomes.Count(e => e is OrderAccepted)} accepted, {refused.Count} refused; saves thrown away per refusal: {string.Join(", ", thrownAway)}");
            Assert.Equal(4, refused.Count);
            // The first refusal finds the bucket short in its save and is decided again; the next ones spend first.
            Assert.Equal(1, thrownAway[0]);
            Assert.All(thrownAway.Skip(1), n => Assert.Equal(0, n));
        });
    }

    private async Task RateAsync(string user, string account, int conid, string expected)
    {
        var burst = Enumerable.Range(0, 6).Select(_ => TestOrders.Market(user, quantity: 1) with { AccountId = account, Conid = conid }).ToList();
        await Task.WhenAll(burst.Select(o => fixture.Downstream.Publisher.Publish(o)));
        var outcomes = new List<IOrderEvent>();
        foreach (var order in burst)
        {
            var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderAccepted or OrderRejected));
            outcomes.Add(events.First(x => x.Event is OrderAccepted or OrderRejected).Event);
        }

        var rejected = outcomes.OfType<OrderRejected>().ToList();
        output.WriteLine($"{user}: {burst.Count} orders at once, capacity 2/s: {outcomes.Count(e => e is OrderAccepted)} accepted, {rejected.Count} refused; e.g. \"{rejected.FirstOrDefault()?.Reason}\"");
        // The burst is published at once; at most the capacity plus what refills while it is decided (well under 1 s) gets through.
        Assert.InRange(outcomes.Count(e => e is OrderAccepted), 2, 3);
        Assert.All(rejected, r => Assert.Equal((RejectionReasonCode.OrderRateExceeded, expected), (r.ReasonCode, r.Reason)));
        var ledger = fixture.Simulator.Control.Ledger();
        Assert.All(rejected, r => Assert.DoesNotContain(ledger, l => l.COID == $"op-{r.OrderId:N}"));

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await FillsAsync(TestOrders.Market(user, quantity: 1) with { AccountId = account, Conid = conid });
    }

    private async Task RefusedAsync(PlaceOrder command, RejectionReasonCode code, string reasonPart)
    {
        await fixture.Downstream.Publisher.Publish(command);
        var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderRejected));
        var rejected = (OrderRejected)events.Single().Event;
        output.WriteLine($"{code}: \"{rejected.Reason}\"");
        Assert.Equal(code, rejected.ReasonCode);
        Assert.Contains(reasonPart, rejected.Reason, StringComparison.Ordinal);
        await using var db = fixture.Db();
        Assert.Equal(OrderStatus.Rejected, (await db.Orders.FindAsync(command.OrderId))!.Status);
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
    }

    private async Task FillsAsync(PlaceOrder command)
    {
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled or OrderRejected or OrderFailed));
        Assert.Contains(nameof(OrderFilled), fixture.EventNames(command.OrderId));
    }

    private async Task WithLimitsAsync(string scope, string key, RiskLimitChange change, Func<Task> scenario)
    {
        await using (var db = fixture.Db())
        {
            await RiskLimitCommands.SetAsync(db, scope, key, change, "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        try
        {
            await scenario();
        }
        finally
        {
            await using var db = fixture.Db();
            await RiskLimitCommands.ClearAsync(db, scope, key, [], "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }
    }
}

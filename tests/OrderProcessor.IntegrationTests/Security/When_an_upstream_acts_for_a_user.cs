using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Telemetry;
using OrderProcessor.Upstreams;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Security;

/// <summary>
/// Upstream authorization on the real broker: each upstream is a RabbitMQ user of its own, RabbitMQ vouches for the
/// messages' user_id, and the processor (enforcing, as outside Development) acts only for the users and accounts the
/// mapping grants the upstream.
/// </summary>
public sealed partial class When_an_upstream_acts_for_a_user(When_an_upstream_acts_for_a_user.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_an_upstream_acts_for_a_user.Fixture>
{
    public sealed class Fixture : ManualMarketFixture
    {
        private readonly string _prefix = "op-upstream-" + Guid.NewGuid().ToString("N")[..8];

        /// <summary>Granted alice on her account only.</summary>
        public UpstreamBus Trusted { get; private set; } = null!;

        /// <summary>Authenticated to RabbitMQ, granted nothing.</summary>
        public UpstreamBus Stranger { get; private set; } = null!;

        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Upstreams:Authorization"] = "Enforced",
            ["Upstreams:CacheDuration"] = "00:00:00.500",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Servers.CreateRabbitUserAsync(_prefix + "-trusted", "trusted-secret");
            await Servers.CreateRabbitUserAsync(_prefix + "-stranger", "stranger-secret");
            await using (var db = Db())
            {
                await UpstreamGrantStore.GrantAsync(db, _prefix + "-trusted", "alice", SimulatorUnderTest.Accounts["alice"], DateTimeOffset.UtcNow, CancellationToken.None);
            }

            Trusted = await UpstreamBus.StartAsync(Servers, _prefix + "-trusted", "trusted-secret");
            Stranger = await UpstreamBus.StartAsync(Servers, _prefix + "-stranger", "stranger-secret");
        }

        public override async Task DisposeAsync()
        {
            await Trusted.DisposeAsync();
            await Stranger.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_refuse_an_unmapped_publishers_place_cancel_modify_and_margin_check_without_a_call_to_ibkr()
    {
        var meters = fixture.Processor.Services.GetRequiredService<IMeterFactory>();
        using var refused = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.commands.refused");
        var alices = await WorkingLimitAsync(fixture.Trusted, 7001);
        var before = fixture.Simulator.Control.Requests().Count;

        var bobs = TestOrders.Limit("bob") with { AccountId = SimulatorUnderTest.Accounts["bob"], Conid = 7001 };
        await fixture.Stranger.Publisher.Publish(bobs);
        await fixture.Stranger.Publisher.Publish(new CancelOrder { OrderId = alices.OrderId, UserId = "alice", Reason = "not yours" });
        await fixture.Stranger.Publisher.Publish(new ModifyOrder { OrderId = alices.OrderId, UserId = "alice", LimitPrice = 121m });
        var margin = await fixture.Stranger.CreateRequestClient<MarginCheck>().GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "bob",
            AccountId = SimulatorUnderTest.Accounts["bob"],
            Conid = 7001,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        });
        // No user_id at all: published on the tests' own connection (granted everything) without saying so.
        var carols = TestOrders.Limit("carol") with { AccountId = SimulatorUnderTest.Accounts["carol"], Conid = 7001 };
        await RawCommandPublisher.PublishAsync(fixture.Servers, nameof(PlaceOrder),
            System.Text.Json.JsonSerializer.Serialize(carols, Orders.ContractJson.Options), authenticated: false);

        var bobRejected = await RejectionAsync(bobs.OrderId);
        var carolRejected = await RejectionAsync(carols.OrderId);
        var alicesEvents = await fixture.Downstream.WaitForAsync(alices.OrderId,
            e => e.Count(x => x.Event is OrderRejected { ReasonCode: RejectionReasonCode.UpstreamNotAuthorized }) == 2);
        Assert.True(margin.Is(out Response<OrderRejected>? marginRefusal), "the margin check was answered with figures");
        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, marginRefusal!.Message.ReasonCode);
        // Room for anything wrongly queued to reach the simulator (work is claimed every 100 ms, polls every 250 ms).
        await Task.Delay(TimeSpan.FromSeconds(2));

        var calls = fixture.Simulator.Control.Requests().Skip(before).ToList();
        var forOthers = calls.Count(c => c.UserId is "bob" or "carol");
        var cancelsOrModifies = calls.Count(c => c.Method == "DELETE" || (c.Method == "POST" && OrderPath().IsMatch(c.Path)));
        await using var db = fixture.Db();
        var alice = await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == alices.OrderId);
        var stored = await db.Orders.CountAsync(o => o.OrderId == bobs.OrderId || o.OrderId == carols.OrderId);
        var marginRows = await db.MarginChecks.CountAsync(m => m.UserId == "bob");
        var counted = refused.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], nameof(RejectionReasonCode.UpstreamNotAuthorized))).Sum(m => m.Value);
        output.WriteLine($"refusals: bob place '{bobRejected.Reason}'; carol place '{carolRejected.Reason}'; margin '{marginRefusal.Message.Reason}'");
        output.WriteLine($"after the refusals the simulator saw {calls.Count} request(s): {forOthers} for bob or carol, {cancelsOrModifies} cancel or modify; " +
            $"alice's order {alice.Status}, cancel requested {alice.CancelRequested}, pending modification {alice.PendingModification ?? "none"}; " +
            $"orders stored for bob/carol {stored}, margin checks kept for bob {marginRows}; orderprocessor.commands.refused{{UpstreamNotAuthorized}} = {counted}");

        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, bobRejected.ReasonCode);
        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, carolRejected.ReasonCode);
        Assert.Contains("no RabbitMQ user_id", carolRejected.Reason, StringComparison.Ordinal);
        Assert.Contains(fixture.Stranger.Username, bobRejected.Reason, StringComparison.Ordinal);
        Assert.Equal(0, forOthers);
        Assert.Equal(0, cancelsOrModifies);
        Assert.Equal(OrderStatus.Working, alice.Status);
        Assert.False(alice.CancelRequested);
        Assert.Null(alice.PendingModification);
        Assert.Equal(0, stored);
        Assert.Equal(0, marginRows);
        Assert.All(alicesEvents.Where(e => e.Event is OrderRejected), e => Assert.Equal(0, e.Event.Sequence));
        Assert.Equal(5, counted);
    }

    [Fact]
    public async Task Should_take_a_mapped_publishers_commands_for_its_user_and_refuse_them_for_others()
    {
        var alices = await WorkingLimitAsync(fixture.Trusted, 7002);
        var margin = await fixture.Trusted.CreateRequestClient<MarginCheck>().GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = SimulatorUnderTest.Accounts["alice"],
            Conid = 7002,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        });
        await fixture.Trusted.Publisher.Publish(new CancelOrder { OrderId = alices.OrderId, UserId = "alice" });
        await fixture.WaitForStatusAsync(alices.OrderId, OrderStatus.PendingCancel);
        // The manual market carries the cancel out on a tick once it reached the simulator: tick until it has.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await StatusAsync(alices.OrderId) != OrderStatus.Cancelled && DateTime.UtcNow < deadline)
        {
            fixture.Simulator.Control.Tick();
            await Task.Delay(200);
        }

        await fixture.WaitForStatusAsync(alices.OrderId, OrderStatus.Cancelled);

        // Granted alice on her account only: another account of alice, and bob, are refused.
        var otherAccount = TestOrders.Limit() with { AccountId = "DU9999999", Conid = 7002 };
        var bobs = TestOrders.Limit("bob") with { AccountId = SimulatorUnderTest.Accounts["bob"], Conid = 7002 };
        await fixture.Trusted.Publisher.Publish(otherAccount);
        await fixture.Trusted.Publisher.Publish(bobs);
        var otherRefused = await RejectionAsync(otherAccount.OrderId);
        var bobRefused = await RejectionAsync(bobs.OrderId);
        output.WriteLine($"alice's order: {string.Join(", ", fixture.EventNames(alices.OrderId))}; margin answered with {(margin.Is(out Response<MarginCheckCompleted>? _) ? "figures" : "a refusal")}");
        output.WriteLine($"alice on DU9999999: {otherRefused.ReasonCode} ({otherRefused.Reason}); bob: {bobRefused.ReasonCode}");

        Assert.True(margin.Is(out Response<MarginCheckCompleted>? _), "the mapped upstream's margin check was refused");
        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, otherRefused.ReasonCode);
        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, bobRefused.ReasonCode);
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{alices.OrderId:N}");
    }

    [Fact]
    public async Task Should_apply_a_grant_and_its_revocation_without_a_restart()
    {
        var upstream = fixture.Stranger.Username;
        await using (var db = fixture.Db())
        {
            await UpstreamGrantStore.GrantAsync(db, upstream, "da*", "*", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        var granted = await PlaceUntilAsync(fixture.Stranger, "dave", accepted: true);
        await using (var db = fixture.Db())
        {
            Assert.Equal(1, await UpstreamGrantStore.RevokeAsync(db, upstream, "da*", null, CancellationToken.None));
        }

        var revoked = await PlaceUntilAsync(fixture.Stranger, "dave", accepted: false);
        output.WriteLine($"grant in effect after {granted.TotalMilliseconds:F0} ms, revocation after {revoked.TotalMilliseconds:F0} ms (cache 500 ms)");
        Assert.True(revoked < TimeSpan.FromSeconds(5), $"the revocation took {revoked}");
    }

    [Fact]
    public async Task Should_apply_a_cancel_sent_before_its_order_only_if_its_upstream_may_act_for_the_orders_account()
    {
        // alice has a second account; the trusted upstream is granted only her first.
        fixture.Simulator.Control.SetUserAccounts("alice", [SimulatorUnderTest.Accounts["alice"], "DU7654321"]);
        fixture.Simulator.Control.PinPrice(7004, 120m);
        var onGranted = TestOrders.Limit(limitPrice: 100m) with { Conid = 7004 };
        var onOther = TestOrders.Limit(limitPrice: 100m) with { Conid = 7004, AccountId = "DU7654321" };
        await fixture.Trusted.Publisher.Publish(new CancelOrder { OrderId = onGranted.OrderId, UserId = "alice", Reason = "early" });
        await fixture.Trusted.Publisher.Publish(new CancelOrder { OrderId = onOther.OrderId, UserId = "alice", Reason = "early" });
        await fixture.Downstream.WaitForAsync(onGranted.OrderId, e => e.Any(x => x.Event is OrderRejected { ReasonCode: RejectionReasonCode.NotFound }));
        await fixture.Downstream.WaitForAsync(onOther.OrderId, e => e.Any(x => x.Event is OrderRejected { ReasonCode: RejectionReasonCode.NotFound }));

        // Placed by the tests' own upstream, granted every user and account.
        await fixture.Downstream.Publisher.Publish(onGranted);
        await fixture.Downstream.Publisher.Publish(onOther);
        await fixture.WaitForStatusAsync(onGranted.OrderId, OrderStatus.Cancelled);
        await fixture.WaitForStatusAsync(onOther.OrderId, OrderStatus.Working);
        output.WriteLine($"on the granted account: {string.Join(", ", fixture.EventNames(onGranted.OrderId))}");
        output.WriteLine($"on the other account: {string.Join(", ", fixture.EventNames(onOther.OrderId))}");

        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{onGranted.OrderId:N}");
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{onOther.OrderId:N}");
    }

    private async Task<TimeSpan> PlaceUntilAsync(UpstreamBus upstream, string user, bool accepted)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var order = TestOrders.Limit(user) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = 7003 };
            await upstream.Publisher.Publish(order);
            var first = (await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Count > 0))[0].Event;
            if ((first is OrderAccepted) == accepted)
            {
                return started.Elapsed;
            }

            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"still {first.GetType().Name} after {started.Elapsed}");
            await Task.Delay(100);
        }
    }

    private async Task<PlaceOrder> WorkingLimitAsync(UpstreamBus upstream, int conid)
    {
        fixture.Simulator.Control.PinPrice(conid, 120m);
        var command = TestOrders.Limit(limitPrice: 100m) with { Conid = conid };
        await upstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        return command;
    }

    private async Task<OrderStatus> StatusAsync(Guid orderId)
    {
        await using var db = fixture.Db();
        return await db.Orders.AsNoTracking().Where(o => o.OrderId == orderId).Select(o => o.Status).SingleAsync();
    }

    private async Task<OrderRejected> RejectionAsync(Guid orderId) =>
        (OrderRejected)(await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderRejected))).First(e => e.Event is OrderRejected).Event;

    [GeneratedRegex(@"/order/\d+$")]
    private static partial Regex OrderPath();
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.ScaleOut;

/// <summary>
/// Two processors on one broker and one database: competing consumers, relays side by side, and each user's IBKR
/// session held by one instance at a time, handed over when that instance stops.
/// </summary>
public sealed class When_two_instances_share_the_work(When_two_instances_share_the_work.Fixture fixture)
    : IClassFixture<When_two_instances_share_the_work.Fixture>
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    /// <summary>A second processor beside the fixture's, with short user leases so a handover takes seconds.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        public ProcessorUnderTest Second { get; private set; } = null!;

        public IReadOnlyDictionary<string, string?> Settings => ProcessorSettings;

        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Lifecycle:UserLeaseDuration"] = "00:00:03",
            ["Lifecycle:WorkLease"] = "00:00:03",
            // A new instance (or a restarted one) opens a brokerage session of its own, which the previous holder's
            // blocks unless it competes: IBKR allows one session per username.
            ["Brokerage:Ibkr:Compete"] = "true",
            ["Brokerage:Timeouts:Attempt"] = "00:00:01.200",
            ["Brokerage:Timeouts:Total"] = "00:00:01.200",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Second = await ProcessorUnderTest.StartAsync(Servers, Simulator, ProcessorSettings, Secrets);
        }

        public override async Task DisposeAsync()
        {
            await Second.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private static PlaceOrder OrderFor(int i) => TestOrders.Market(userId: Users[i % Users.Length]) with
    {
        AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
        Conid = 9001,
    };

    [Fact]
    public async Task Should_fill_every_order_once_publish_every_event_once_and_open_one_session_per_user()
    {
        var initsBefore = SessionInits();
        var orders = Enumerable.Range(0, 60).Select(OrderFor).ToList();
        await Task.WhenAll(orders.Select(o => fixture.Downstream.Publisher.Publish(o)));
        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);
        }

        await fixture.WaitForOutboxPublishedAsync();
        foreach (var order in orders)
        {
            await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderFilled));
        }

        await Task.Delay(500);
        var ids = orders.Select(o => o.OrderId).ToHashSet();
        var received = fixture.Downstream.Received.Where(e => ids.Contains(e.Event.OrderId)).ToList();
        await using var db = fixture.Db();
        var rows = await db.Outbox.CountAsync(o => ids.Contains(o.OrderId));
        Assert.Equal(rows, received.Count);
        Assert.Equal(rows, received.Select(e => e.MessageId).Distinct().Count());
        await fixture.AssertLedgerMatchesSagasAsync(ids);

        // No session ping-pong: at most one new brokerage session per user however the work was shared.
        var initsAfter = SessionInits();
        Assert.All(Users, user => Assert.InRange(initsAfter.GetValueOrDefault(user) - initsBefore.GetValueOrDefault(user), 0, 1));
        Assert.All(Users, user => Assert.True(initsAfter.GetValueOrDefault(user) >= 1, $"{user} never had a session"));
        var owners = await db.UserSessionLeases.Where(l => Users.Contains(l.UserId)).Select(l => l.Owner).Distinct().CountAsync();
        Assert.InRange(owners, 1, 2);
    }

    [Fact]
    public async Task Should_answer_a_margin_check_on_the_instance_that_holds_the_users_session()
    {
        // The second instance holds carol's session for a minute; whichever instance consumes the check, the holder runs it.
        var holder = fixture.Second.Services.GetRequiredService<Execution.UserSessionOwnership>().LeaseOwner;
        await using (var db = fixture.Db())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO user_session_leases (user_id, owner, expires_at) VALUES ('carol', {holder}, {DateTimeOffset.UtcNow.AddMinutes(1)})
                ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                """);
        }

        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetResponse<MarginCheckCompleted, OrderRejected>(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "carol",
            AccountId = SimulatorUnderTest.Accounts["carol"],
            Conid = 9001,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        }, timeout: RequestTimeout.After(s: 30))));

        Assert.All(answers, a => Assert.True(a.Is(out MassTransit.Response<MarginCheckCompleted>? _)));
        await using var check = fixture.Db();
        Assert.Equal(holder, await check.UserSessionLeases.Where(l => l.UserId == "carol").Select(l => l.Owner).SingleAsync());
    }

    [Fact]
    public async Task Should_refuse_the_result_of_work_done_under_a_lease_that_has_passed()
    {
        var order = OrderFor(4) with { UserId = "erin", AccountId = SimulatorUnderTest.Accounts["erin"] };
        await fixture.Downstream.Publisher.Publish(order);
        await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);
        var first = fixture.Processor.Services.GetRequiredService<Execution.UserSessionOwnership>().LeaseOwner;
        await using (var db = fixture.Db())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO user_session_leases (user_id, owner, expires_at, epoch) VALUES ('erin', {first}, now() + interval '1 minute', 5)
                ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, epoch = excluded.epoch
                """);
        }

        var store = fixture.Processor.Services.GetRequiredService<Execution.IOrderStore>();
        async Task<bool> WriteUnder(long epoch, string reason)
        {
            await using var db = fixture.Db();
            var group = await Execution.PostgresOrderStore.LoadGroupAsync(db, order.OrderId, CancellationToken.None);
            var work = new Execution.ClaimedWork(Orders.OrderWork.Reconcile, Guid.NewGuid(), group, epoch);
            return await store.UpdateGroupAsync(work, g =>
            {
                g[0].LastReason = reason;
                return new Orders.OrderDecision();
            }, CancellationToken.None);
        }

        var stale = await WriteUnder(4, "written under epoch 4");
        var current = await WriteUnder(5, "written under epoch 5");

        Assert.False(stale);
        Assert.True(current);
        await using var check = fixture.Db();
        Assert.Equal("written under epoch 5", (await check.Orders.SingleAsync(o => o.OrderId == order.OrderId)).LastReason);
    }

    [Fact]
    public async Task Should_refuse_to_start_an_instance_whose_id_a_live_one_uses()
    {
        var id = fixture.Second.Services.GetRequiredService<Execution.UserSessionOwnership>().InstanceId;
        var settings = new Dictionary<string, string?>(fixture.Settings) { ["Lifecycle:InstanceId"] = id };

        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ProcessorUnderTest.StartAsync(fixture.Servers, fixture.Simulator, settings));

        Assert.Contains("is in use by another running processor", refused.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, int> SessionInits() =>
        fixture.Simulator.Control.Requests().Where(r => r.Path.EndsWith("/iserver/auth/ssodh/init", StringComparison.Ordinal) && r.UserId is not null)
            .GroupBy(r => r.UserId!).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public async Task Should_hand_a_users_session_over_when_its_instance_stops()
    {
        var first = Enumerable.Range(0, 6).Select(OrderFor).ToList();
        await Task.WhenAll(first.Select(o => fixture.Downstream.Publisher.Publish(o)));
        foreach (var order in first)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);
        }

        await fixture.RestartProcessorAsync(async () =>
        {
            var meanwhile = Enumerable.Range(0, 9).Select(OrderFor).ToList();
            await Task.WhenAll(meanwhile.Select(o => fixture.Downstream.Publisher.Publish(o)));
            foreach (var order in meanwhile)
            {
                await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
            }

            await fixture.AssertLedgerMatchesSagasAsync(meanwhile.Select(o => o.OrderId));
        });
    }
}

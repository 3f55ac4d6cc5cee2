using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Halts;

/// <summary>
/// Two processors on one broker and one database: a HaltTrading from the bus, committed by whichever instance consumed
/// it, is honoured by both from its commit on (each PlaceOrder decision reads the halt in its own transaction: no cache,
/// no grace). Account, user and everyone scopes alike; a resume opens trading again.
/// </summary>
public sealed class When_a_halt_is_made_on_another_instance(When_a_halt_is_made_on_another_instance.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_halt_is_made_on_another_instance.Fixture>
{
    private const int Conid = 9201;
    private const int OrdersPerScope = 16;

    /// <summary>A second processor beside the fixture's; any upstream may halt (the test's publisher is not authenticated).</summary>
    public sealed class Fixture : ProcessorFixture
    {
        public ProcessorUnderTest Second { get; private set; } = null!;

        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Upstreams:TradingControl:0"] = "*" };

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

    [Theory]
    [InlineData(HaltScope.Account)]
    [InlineData(HaltScope.User)]
    [InlineData(HaltScope.All)]
    public async Task Should_refuse_every_order_of_the_scope_decided_after_the_halts_commit_on_either_instance(HaltScope scope)
    {
        fixture.Simulator.Control.PinPrice(Conid, 120m);
        var user = scope switch { HaltScope.Account => "alice", HaltScope.User => "bob", _ => "carol" };
        var account = SimulatorUnderTest.Accounts[user];
        var halt = new HaltTrading
        {
            HaltId = Guid.NewGuid(),
            Scope = scope,
            AccountId = scope == HaltScope.Account ? account : null,
            UserId = scope == HaltScope.User ? user : null,
            Reason = $"test halt of {scope}",
            RequestedBy = "it",
        };
        await fixture.Downstream.Publisher.Publish(halt);
        var halted = await fixture.Downstream.WaitForAsync(halt.HaltId, e => e.Any(x => x.Event is TradingHalted));
        var seenAt = DateTime.UtcNow;

        // Published only once the halt's event is out (so after its commit): every one must be refused, on both instances.
        var orders = Enumerable.Range(0, OrdersPerScope).Select(_ => TestOrders.Limit(userId: user, limitPrice: 100m) with { Conid = Conid, AccountId = account }).ToList();
        await Task.WhenAll(orders.Select(o => fixture.Downstream.Publisher.Publish(o)));
        var codes = new List<RejectionReasonCode?>();
        foreach (var order in orders)
        {
            var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderRejected or OrderAccepted));
            codes.Add(events.Select(x => x.Event).OfType<OrderRejected>().FirstOrDefault()?.ReasonCode);
        }

        output.WriteLine($"{scope}: halt event {((TradingHalted)halted.Single(x => x.Event is TradingHalted).Event).Reason}; " +
            $"{codes.Count(c => c == RejectionReasonCode.TradingHalted)}/{orders.Count} orders refused TradingHalted within {(DateTime.UtcNow - seenAt).TotalSeconds:F1} s");
        Assert.All(codes, c => Assert.Equal(RejectionReasonCode.TradingHalted, c));
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => orders.Any(o => l.COID == $"op-{o.OrderId:N}"));

        var resume = new ResumeTrading { ResumeId = Guid.NewGuid(), Scope = scope, AccountId = halt.AccountId, UserId = halt.UserId, RequestedBy = "it" };
        await fixture.Downstream.Publisher.Publish(resume);
        await fixture.Downstream.WaitForAsync(halt.HaltId, e => e.Any(x => x.Event is TradingResumed));
        var after = TestOrders.Limit(userId: user, limitPrice: 100m) with { Conid = Conid, AccountId = account };
        await fixture.Downstream.Publisher.Publish(after);
        await fixture.WaitForStatusAsync(after.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30));
        output.WriteLine($"{scope}: after the resume a new order is Working");
    }
}

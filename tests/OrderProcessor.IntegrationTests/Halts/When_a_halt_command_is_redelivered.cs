using MassTransit;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Halts;

/// <summary>
/// HaltTrading and ResumeTrading from the bus: obeyed only from the upstreams of <c>Upstreams:TradingControl</c> (the
/// per-user grants do not apply), answered once however often the same message is delivered.
/// </summary>
public sealed class When_a_halt_command_is_redelivered(When_a_halt_command_is_redelivered.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_halt_command_is_redelivered.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        private readonly string _prefix = "op-halt-" + Guid.NewGuid().ToString("N")[..8];

        /// <summary>Listed in Upstreams:TradingControl, granted no user.</summary>
        public UpstreamBus Operator { get; private set; } = null!;

        /// <summary>Authenticated to RabbitMQ, not listed.</summary>
        public UpstreamBus Platform { get; private set; } = null!;

        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Upstreams:Authorization"] = "Enforced",
            ["Upstreams:TradingControl:0"] = _prefix + "-ops",
        };

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await Servers.CreateRabbitUserAsync(_prefix + "-ops", "ops-secret");
            await Servers.CreateRabbitUserAsync(_prefix + "-platform", "platform-secret");
            Operator = await UpstreamBus.StartAsync(Servers, _prefix + "-ops", "ops-secret");
            Platform = await UpstreamBus.StartAsync(Servers, _prefix + "-platform", "platform-secret");
        }

        public override async Task DisposeAsync()
        {
            await Operator.DisposeAsync();
            await Platform.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_halt_once_for_a_listed_upstream_and_refuse_everyone_else()
    {
        // Not listed: refused, nothing halted (an authenticated platform and an unauthenticated publisher alike).
        var fromPlatform = new HaltTrading { HaltId = Guid.NewGuid(), Scope = HaltScope.All, Reason = "not mine to halt" };
        var anonymous = new HaltTrading { HaltId = Guid.NewGuid(), Scope = HaltScope.All, Reason = "nobody" };
        await fixture.Platform.Publisher.Publish(fromPlatform);
        await fixture.Downstream.Publisher.Publish(anonymous);
        foreach (var id in new[] { fromPlatform.HaltId, anonymous.HaltId })
        {
            var refused = await fixture.Downstream.WaitForAsync(id, e => e.Any(x => x.Event is OrderRejected));
            var rejection = (OrderRejected)refused.Single().Event;
            output.WriteLine($"halt {id}: {rejection.ReasonCode} ({rejection.Command}): {rejection.Reason}");
            Assert.Equal((RejectionReasonCode.UpstreamNotAuthorized, nameof(HaltTrading)), (rejection.ReasonCode, rejection.Command));
        }

        // Listed: the same message delivered three times halts once and is answered once.
        var halt = new HaltTrading { HaltId = Guid.NewGuid(), Scope = HaltScope.Account, AccountId = SimulatorUnderTest.Accounts["dave"], Reason = "desk request", RequestedBy = "ops" };
        var messageId = NewId.NextGuid();
        for (var i = 0; i < 3; i++)
        {
            await fixture.Operator.Publisher.Publish(halt, context => context.MessageId = messageId);
        }

        await fixture.Downstream.WaitForAsync(halt.HaltId, e => e.Any(x => x.Event is TradingHalted));
        await fixture.WaitForQueueDrainedAsync("halt-trading");
        await using (var db = fixture.Db())
        {
            var rows = await db.TradingHalts.AsNoTracking().ToListAsync();
            var events = await db.Outbox.AsNoTracking().CountAsync(o => o.OrderId == halt.HaltId);
            output.WriteLine($"after 3 deliveries of one HaltTrading: {rows.Count} halt row(s), {events} outbox event(s) of it");
            Assert.Equal(halt.HaltId, Assert.Single(rows).HaltId);
            Assert.Equal(1, events);
        }

        var resume = new ResumeTrading { ResumeId = Guid.NewGuid(), Scope = HaltScope.Account, AccountId = SimulatorUnderTest.Accounts["dave"] };
        await fixture.Platform.Publisher.Publish(resume);
        var notResumed = await fixture.Downstream.WaitForAsync(resume.ResumeId, e => e.Any(x => x.Event is OrderRejected));
        Assert.Equal(RejectionReasonCode.UpstreamNotAuthorized, ((OrderRejected)notResumed.Single().Event).ReasonCode);
        await fixture.Operator.Publisher.Publish(resume with { ResumeId = Guid.NewGuid() });
        await fixture.Downstream.WaitForAsync(halt.HaltId, e => e.Any(x => x.Event is TradingResumed));
        output.WriteLine("the platform's resume was refused; the operator's resumed the halt");
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Security;

/// <summary>
/// PiTrade binds a bearer token to the IP it was issued for, and IBKR refuses it from any other. When the processor's
/// egress IP changes (a NAT gateway fails over), the token is refused and the guard fetches a fresh one.
/// </summary>
public sealed class When_the_egress_ip_changes(When_the_egress_ip_changes.Fixture fixture) : IClassFixture<When_the_egress_ip_changes.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public string EgressIp { get; set; } = "198.51.100.10";

        // The fresh token opens a brokerage session of its own; the old token's session blocks it unless it competes
        // (IBKR allows one session per username).
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Brokerage:Ibkr:Compete"] = "true" };

        protected override Func<HttpMessageHandler, HttpMessageHandler>? Network => inner => new EgressIpHandler(this) { InnerHandler = inner };

        /// <summary>Makes the simulator see the fixture's current egress IP as the caller's address.</summary>
        private sealed class EgressIpHandler(Fixture fixture) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.Headers.Remove("X-Forwarded-For");
                request.Headers.Add("X-Forwarded-For", fixture.EgressIp);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task Should_have_the_old_token_refused_and_go_on_with_a_fresh_one()
    {
        var first = TestOrders.Market() with { Conid = 11001 };
        await fixture.Downstream.Publisher.Publish(first);
        await fixture.WaitForStatusAsync(first.OrderId, OrderStatus.Filled);
        var tokensBefore = fixture.Simulator.Control.Stats().BearerTokensIssued;
        var refusedBefore = fixture.Simulator.Control.Requests().Count(r => r.Status == 401);

        fixture.EgressIp = "203.0.113.20";
        var second = TestOrders.Market() with { Conid = 11001 };
        await fixture.Downstream.Publisher.Publish(second);
        await fixture.WaitForStatusAsync(second.OrderId, OrderStatus.Filled);

        Assert.True(fixture.Simulator.Control.Requests().Count(r => r.Status == 401) > refusedBefore, "the old token was not refused from the new IP");
        Assert.True(fixture.Simulator.Control.Stats().BearerTokensIssued > tokensBefore, "no fresh bearer token was issued");
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{second.OrderId:N}");
    }
}

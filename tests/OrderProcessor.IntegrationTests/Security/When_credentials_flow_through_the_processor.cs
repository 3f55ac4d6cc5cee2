using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Security;

/// <summary>
/// Every test class's fixture checks, when it ends, that no credential the processor used (partner apiKey, partner JWT,
/// bearer tokens) and nothing shaped like a JWT is in its logs, its events or its stored orders. These tests show that
/// the check has something to find and would find it.
/// </summary>
public sealed class When_credentials_flow_through_the_processor(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_know_every_credential_the_processor_sent()
    {
        var command = TestOrders.Market() with { Conid = 8001 };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);

        var secrets = fixture.Secrets.Secrets;
        Assert.Contains(SimulatorUnderTest.ApiKey, secrets);
        Assert.Contains(secrets, s => s.StartsWith("eyJ", StringComparison.Ordinal));
        Assert.Contains(secrets, s => !s.StartsWith("eyJ", StringComparison.Ordinal) && s != SimulatorUnderTest.ApiKey);
        Assert.NotEmpty(fixture.Secrets.Logs);
        Assert.Empty(await fixture.FindLeaksAsync());
    }

    [Fact]
    public void Should_find_a_credential_or_a_jwt_wherever_it_is_written()
    {
        var token = fixture.Secrets.Secrets.FirstOrDefault(s => s != SimulatorUnderTest.ApiKey) ?? SimulatorUnderTest.ApiKey;
        var leaks = fixture.Secrets.Leaks([
            ("a log line", $"calling IBKR with Bearer {token}"),
            ("an event", "{\"reason\":\"eyJhbGciOiJIUzI1NiJ9.eyJjbGllbnRJZCI6ImRldiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ\"}"),
            ("a clean line", "order op-1234 filled"),
        ]);
        Assert.Equal(["a log line: contains a credential the processor used", "an event: contains a JWT-shaped string"], leaks);
    }

    [Fact]
    public async Task Should_send_each_users_orders_under_that_users_own_session()
    {
        var orders = Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? TestOrders.Market(userId: "alice") with { Conid = 8002 }
            : TestOrders.Market(userId: "bob") with { AccountId = "DU2345678", Conid = 8002 }).ToList();
        await Task.WhenAll(orders.Select(o => fixture.Downstream.Publisher.Publish(o)));
        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);
        }

        var ledger = fixture.Simulator.Control.Ledger();
        foreach (var order in orders)
        {
            var entry = ledger.Single(l => l.COID == $"op-{order.OrderId:N}");
            Assert.Equal((order.UserId, order.AccountId), (entry.UserId, entry.AccountId));
        }
    }
}

using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>A modify repeats the original ticket, its cOID included: another cOID (or, strictly, none) is refused.</summary>
public sealed class When_a_modify_carries_a_client_order_id
{
    private const int Conid = 4242;

    private static async Task<(IbkrUser User, string Path)> WorkingOrderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98m, cOID: "original"));
        return (user, $"/iserver/account/{user.AccountId}/order/{orderId}");
    }

    [Fact]
    public async Task Should_accept_a_modify_that_repeats_the_cOID()
    {
        using var host = new SimulatorHost();
        var (user, path) = await WorkingOrderAsync(host);
        using (user)
        {
            var modified = await user.PostAsync(path, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98.5m, cOID: "original"));

            Assert.True(modified.IsAccepted, modified.Raw);
            Assert.Equal(98.5m, Assert.Single(host.Control.Ledger()).Price);
        }
    }

    [Fact]
    public async Task Should_refuse_a_modify_with_another_cOID_and_leave_the_order_unchanged()
    {
        using var host = new SimulatorHost();
        var (user, path) = await WorkingOrderAsync(host);
        using (user)
        {
            var modified = await user.PostAsync(path, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98.5m, cOID: "another"));

            Assert.Contains("cOID another is not the order's cOID original", modified.Error, StringComparison.Ordinal);
            var entry = Assert.Single(host.Control.Ledger());
            Assert.Equal((98m, "original"), (entry.Price!.Value, entry.COID));
        }
    }

    [Theory]
    [InlineData(ModifyClientOrderIdRule.MustRepeat, false)]
    [InlineData(ModifyClientOrderIdRule.MustMatchWhenGiven, true)]
    [InlineData(ModifyClientOrderIdRule.Ignored, true)]
    public async Task Should_treat_a_modify_without_cOID_as_the_rule_says(ModifyClientOrderIdRule rule, bool accepted)
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:ModifyClientOrderId"] = rule.ToString() });
        var (user, path) = await WorkingOrderAsync(host);
        using (user)
        {
            var modified = await user.PostAsync(path, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98.5m));

            Assert.Equal(accepted, modified.IsAccepted);
            if (!accepted)
                Assert.Contains("must repeat the order's cOID original", modified.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_ignore_another_cOID_only_when_told_to()
    {
        using var host = new SimulatorHost();
        host.Control.SetBehaviour(host.Control.Behaviour with { ModifyClientOrderId = ModifyClientOrderIdRule.Ignored });
        var (user, path) = await WorkingOrderAsync(host);
        using (user)
        {
            var modified = await user.PostAsync(path, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98.5m, cOID: "another"));

            Assert.True(modified.IsAccepted, modified.Raw);
            Assert.Equal("original", Assert.Single(host.Control.Ledger()).COID);
        }
    }
}

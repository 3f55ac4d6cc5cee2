using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Cli;

/// <summary>`orders` as an operator runs it: a separate process, configured by environment variables, scripts reading its exit codes.</summary>
public sealed class When_operators_use_the_orders_cli(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_place_an_order_and_follow_it_to_its_fill()
    {
        var orderId = Guid.NewGuid();
        var (exit, output) = await RunAsync("place", "--user", "alice", "--account", "DU1234567", "--conid", "10001", "--side", "BUY",
            "-q", "3", "--order-id", orderId.ToString(), "--wait", "--timeout", "30");

        Assert.Equal(0, exit);
        Assert.Contains("accepted", output, StringComparison.Ordinal);
        Assert.Contains("filled: 3", output, StringComparison.Ordinal);
        await fixture.WaitForStatusAsync(orderId, OrderStatus.Filled);

        (exit, output) = await RunAsync("show", orderId.ToString());
        Assert.Equal(0, exit);
        Assert.Contains("Filled", output, StringComparison.Ordinal);
        Assert.Contains("submitted: IBKR order", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_a_margin_request_with_its_figures()
    {
        var (exit, output) = await RunAsync("margin", "--user", "alice", "--account", "DU1234567", "--conid", "10002", "--side", "BUY",
            "-q", "10", "-t", "MKT");
        Assert.Equal(0, exit);
        Assert.Contains("initial", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("USD", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_verify_the_audit_trail()
    {
        var (exit, output) = await RunAsync("audit", "verify");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Should_list_the_orders_that_need_an_operator_and_exit_1_while_there_are_some()
    {
        var orderId = Guid.NewGuid();
        var (exit, _) = await RunAsync("place", "--user", "dave", "--account", "DU4567890", "--conid", "10003", "--side", "BUY",
            "-q", "2", "--order-id", orderId.ToString(), "--wait", "--timeout", "30");
        Assert.Equal(0, exit);
        await fixture.WaitForStatusAsync(orderId, OrderStatus.Filled);
        // As the lifecycle leaves an order whose fate IBKR cannot tell. The processor still follows the order (a late
        // stream report or a read of the fill can settle NeedsAttention back to Filled, as it should), so the edit is
        // made again before each run of the command, until a run sees it.
        var output = string.Empty;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await using (var db = fixture.Db())
            {
                var order = await db.Orders.FindAsync(orderId);
                (order!.Status, order.LastReason) = (OrderStatus.NeedsAttention, "IBKR no longer lists the order and cannot say how it ended");
                await db.SaveChangesAsync();
            }

            (exit, output) = await RunAsync("attention", "--user", "dave");
            if (exit == 1)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(1, exit);
        Assert.Contains(orderId.ToString(), output, StringComparison.Ordinal);
        Assert.Contains("cannot say how it ended", output, StringComparison.Ordinal);

        (exit, output) = await RunAsync("attention", "--user", "nobody-here");
        Assert.Equal(0, exit);
        Assert.Contains("no order needs an operator", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "place", "--user", "alice", "--account", "DU1234567", "--conid", "1", "--side", "HOLD", "-q", "1")]
    [InlineData(2, "place", "--user", "alice")]
    [InlineData(4, "show", "6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    public async Task Should_tell_scripts_what_went_wrong_by_exit_code(int expected, params string[] arguments)
    {
        var (exit, output) = await RunAsync(arguments);
        Assert.True(expected == exit, $"exit {exit}, expected {expected}:\n{output}");
    }

    [Fact]
    public async Task Should_exit_3_naming_the_broker_when_it_is_unreachable()
    {
        var (exit, output) = await RunAsync(["place", "--user", "alice", "--account", "DU1234567", "--conid", "1", "--side", "BUY", "-q", "1"],
            new Dictionary<string, string> { ["RabbitMq__Port"] = "1" });
        Assert.Equal(3, exit);
        Assert.Contains("unreachable", output, StringComparison.Ordinal);
    }

    private Task<(int Exit, string Output)> RunAsync(params string[] arguments) => RunAsync(arguments, []);

    private Task<(int Exit, string Output)> RunAsync(string[] arguments, Dictionary<string, string> overrides) =>
        OrdersCliProcess.RunAsync(fixture.Servers, arguments, overrides);
}

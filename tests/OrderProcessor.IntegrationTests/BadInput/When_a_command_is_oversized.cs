using System.Text;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.BadInput;

/// <summary>
/// Oversized input gets a short answer: a body above Consumers:MaxMessageBytes is refused by its size, a group above
/// its count by its count, and no refusal lists more than 20 violations.
/// </summary>
public sealed class When_a_command_is_oversized(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    private const int MaxEventBytes = 4096;

    [Fact]
    public async Task Should_refuse_a_1_MB_command_of_50000_empty_legs_with_a_short_event()
    {
        // Each leg an empty object padded to 20 bytes with its comma: 50,000 of them are 1,000,000 bytes.
        var legs = string.Join(",", Enumerable.Repeat("{" + new string(' ', 17) + "}", 50_000));
        var (orderId, bodyBytes) = await PublishWithLegsAsync(legs);

        var (rejected, eventBytes) = await RejectionAsync(orderId);
        output.WriteLine($"command {bodyBytes:N0} bytes with 50,000 empty legs -> {rejected.ReasonCode} in an event of {eventBytes:N0} bytes " +
            $"with {rejected.Violations.Count} violation(s): {string.Join("; ", rejected.Violations.Select(v => $"{v.Field} {v.Rule}"))}");

        Assert.True(bodyBytes >= 1_000_000, $"the command is only {bodyBytes} bytes");
        Assert.Equal(RejectionReasonCode.ValidationFailed, rejected.ReasonCode);
        Assert.Contains(rejected.Violations, v => v.Rule == "max-bytes");
        Assert.True(eventBytes < MaxEventBytes, $"the rejection is {eventBytes} bytes");
        await using var db = fixture.Db();
        Assert.False(await db.Orders.AnyAsync(o => o.OrderId == orderId), "an order row was stored for the oversized command");
    }

    [Fact]
    public async Task Should_refuse_an_oversized_command_that_does_not_bind_by_its_size()
    {
        // 100 KB (above the 64 KB default) whose conid does not bind: the size is the answer, not the type.
        var orderId = Guid.NewGuid();
        var message = $$"""
            {"orderId":"{{orderId}}","userId":"alice","accountId":"DU1234567","side":"BUY","quantity":1,"orderType":"MKT","timeInForce":"DAY","padding":"{{new string('x', 100_000)}}","conid":"AAPL"}
            """;
        await RawCommandPublisher.PublishAsync(fixture.Servers, nameof(PlaceOrder), message);

        var (rejected, eventBytes) = await RejectionAsync(orderId);
        output.WriteLine($"unbound command {Encoding.UTF8.GetByteCount(message):N0} bytes -> {rejected.ReasonCode} #{rejected.Sequence}, event {eventBytes:N0} bytes: " +
            string.Join("; ", rejected.Violations.Select(v => $"{v.Field} {v.Rule}")));
        Assert.Equal(("(message)", "max-bytes"), (rejected.Violations.Single().Field, rejected.Violations.Single().Rule));
        Assert.True(eventBytes < MaxEventBytes, $"the rejection is {eventBytes} bytes");
    }

    [Fact]
    public async Task Should_check_the_count_of_legs_before_the_legs()
    {
        // 20,000 empty legs fit under the 64 KB limit: the count refuses them, not 20,000 times a few violations.
        var legs = string.Join(",", Enumerable.Repeat("{}", 20_000));
        var (orderId, bodyBytes) = await PublishWithLegsAsync(legs);

        var (rejected, eventBytes) = await RejectionAsync(orderId);
        output.WriteLine($"command {bodyBytes:N0} bytes with 20,000 empty legs -> {rejected.ReasonCode} in an event of {eventBytes:N0} bytes: " +
            string.Join("; ", rejected.Violations.Select(v => $"{v.Field} {v.Rule}")));

        Assert.Contains(rejected.Violations, v => v.Field == "ocaGroup.orders" && v.Rule == "max-count");
        Assert.DoesNotContain(rejected.Violations, v => v.Field.StartsWith("ocaGroup.orders[", StringComparison.Ordinal));
        Assert.True(eventBytes < MaxEventBytes, $"the rejection is {eventBytes} bytes");
    }

    [Fact]
    public async Task Should_list_at_most_20_violations_and_say_how_many_more()
    {
        // Ten empty legs (within the count): each breaks several rules.
        var legs = string.Join(",", Enumerable.Repeat("{}", 10));
        var (orderId, _) = await PublishWithLegsAsync(legs);

        var (rejected, eventBytes) = await RejectionAsync(orderId);
        output.WriteLine($"10 empty legs -> {rejected.Violations.Count} violations listed, the last '{rejected.Violations[^1].Message}', event {eventBytes:N0} bytes");

        Assert.Equal(21, rejected.Violations.Count);
        Assert.Equal("max-violations", rejected.Violations[^1].Rule);
        Assert.Matches(@"^and \d+ more violation\(s\)\.$", rejected.Violations[^1].Message);
    }

    private async Task<(Guid OrderId, int BodyBytes)> PublishWithLegsAsync(string legs)
    {
        var orderId = Guid.NewGuid();
        var message = $$$"""
            {"orderId":"{{{orderId}}}","userId":"alice","accountId":"DU1234567","conid":265598,"side":"BUY","quantity":1,"orderType":"MKT","timeInForce":"DAY","ocaGroup":{"name":"g","orders":[{{{legs}}}]}}
            """;
        await RawCommandPublisher.PublishAsync(fixture.Servers, nameof(PlaceOrder), message);
        return (orderId, Encoding.UTF8.GetByteCount(message));
    }

    private async Task<(OrderRejected Rejected, int EventBytes)> RejectionAsync(Guid orderId)
    {
        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderRejected), TimeSpan.FromSeconds(30));
        await using var db = fixture.Db();
        var body = await db.Outbox.Where(o => o.OrderId == orderId && o.MessageType == nameof(OrderRejected)).Select(o => o.Body).SingleAsync();
        return ((OrderRejected)events.First(e => e.Event is OrderRejected).Event, Encoding.UTF8.GetByteCount(body));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Contract;

/// <summary>
/// Every command of <c>contracts/examples/commands.json</c>, valid and invalid (enums as numbers, wrong JSON types,
/// numbers beyond their type, missing or unreadable ids), published by raw AMQP as another language would, gets the
/// answer the file documents: its events, an OrderRejected naming the field and the rule, or the <c>_error</c> queue.
/// </summary>
public sealed class When_a_foreign_client_publishes_raw_commands(ManualMarketFixture fixture, ITestOutputHelper output) : IClassFixture<ManualMarketFixture>
{
    private const int Conid = 3101;

    [Fact]
    public async Task Should_give_every_example_its_documented_answer()
    {
        fixture.Simulator.Control.PinPrice(Conid, 120m);
        var examples = Examples();
        await using var client = new ForeignClient(fixture.Servers);
        var sent = new List<(JsonObject Example, Guid Target, Guid MessageId)>();
        foreach (var example in examples)
        {
            var id = Guid.NewGuid();
            var text = (string)example["messageText"]!;
            var working = text.Contains("$WORKING", StringComparison.Ordinal) ? await WorkingOrderAsync() : Guid.Empty;
            var messageId = Guid.NewGuid();
            await client.PublishAsync((string)example["command"]!, Fill(text, id, working), messageId);
            sent.Add((example, working != Guid.Empty ? working : id, messageId));
        }

        var failures = new List<string>();
        foreach (var (example, target, messageId) in sent.Where(s => (string)s.Example["answer"]! != "_error"))
        {
            var answer = (string)example["answer"]!;
            var found = await AnswerAsync(example, target, messageId);
            output.WriteLine($"{example["command"],-12} {example["name"]}: {found ?? "no answer"}");
            if (found is null || !found.StartsWith(answer, StringComparison.Ordinal))
            {
                failures.Add($"{example["command"]} '{example["name"]}': expected {Expected(example)}, got {found ?? "nothing"}");
            }
            else if (answer == nameof(OrderRejected) && found != Expected(example))
            {
                failures.Add($"{example["command"]} '{example["name"]}': expected {Expected(example)}, got {found}");
            }
        }

        foreach (var (command, queue) in new[] { ("PlaceOrder", "place-order"), ("CancelOrder", "cancel-order"), ("ModifyOrder", "modify-order"), ("MarginCheck", "margin-check") })
        {
            var expected = sent.Count(s => (string)s.Example["command"]! == command && (string)s.Example["answer"]! == "_error");
            var count = await fixture.WaitForQueueCountAsync(queue + "_error", expected);
            output.WriteLine($"{queue}_error holds {count} (expected {expected})");
            if (count != expected)
            {
                failures.Add($"{queue}_error holds {count} messages, expected {expected}");
            }
        }

        output.WriteLine($"{sent.Count} examples published raw, {failures.Count} answered otherwise than documented");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Should_answer_an_unbound_command_once_and_take_a_corrected_one_under_the_same_order_id()
    {
        fixture.Simulator.Control.PinPrice(Conid, 120m);
        await using var client = new ForeignClient(fixture.Servers);
        var orderId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var unbound = Order(orderId, "\"AAPL\"");

        await client.PublishAsync("PlaceOrder", unbound, messageId);
        await client.PublishAsync("PlaceOrder", unbound, messageId); // a redelivery / re-publish of the same message
        await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderRejected));
        await client.PublishAsync("PlaceOrder", Order(orderId, Conid.ToString(System.Globalization.CultureInfo.InvariantCulture)), messageId); // corrected, same message id
        await client.PublishAsync("PlaceOrder", Order(orderId, Conid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Guid.NewGuid()); // corrected, new message id

        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderAccepted));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second answer to the redelivery would have come by now
        events = fixture.Downstream.For(orderId);
        var rejections = events.Select(e => e.Event).OfType<OrderRejected>().ToList();
        output.WriteLine($"events for the order: {string.Join(", ", events.Select(e => e.Event is OrderRejected r ? $"{r.Sequence}:OrderRejected({r.ReasonCode})" : $"{e.Event.Sequence}:{e.Event.GetType().Name}"))}");

        Assert.Equal(2, rejections.Count);
        var type = Assert.Single(rejections, r => r.ReasonCode == RejectionReasonCode.ValidationFailed);
        Assert.Equal(("conid", "type"), (type.Violations.Single().Field, type.Violations.Single().Rule));
        Assert.Equal(0, type.Sequence); // outside the order's chain: nothing of the unbound command was stored
        var conflict = Assert.Single(rejections, r => r.ReasonCode == RejectionReasonCode.ConflictingDuplicate);
        Assert.Equal(("messageId", "unique"), (conflict.Violations.Single().Field, conflict.Violations.Single().Rule));
        Assert.Single(events, e => e.Event is OrderAccepted);
        Assert.Equal(1, events.Single(e => e.Event is OrderAccepted).Event.Sequence);
    }

    [Fact]
    public async Task Should_answer_an_unbound_place_order_under_an_existing_orders_id_as_a_conflicting_duplicate()
    {
        fixture.Simulator.Control.PinPrice(Conid, 120m);
        await using var client = new ForeignClient(fixture.Servers);
        var working = await WorkingOrderAsync();
        var messageId = Guid.NewGuid();
        await client.PublishAsync("PlaceOrder", Order(working, "\"AAPL\""), messageId);

        var events = await fixture.Downstream.WaitForAsync(working, e => e.Any(x => x.Event is OrderRejected r && r.CausationId == messageId));
        var rejected = events.Select(e => e.Event).OfType<OrderRejected>().Single(r => r.CausationId == messageId);
        output.WriteLine($"unbound PlaceOrder under working order {working}: {rejected.ReasonCode} #{rejected.Sequence} ({rejected.Reason})");
        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, rejected.ReasonCode); // as a bound PlaceOrder with other content: not ValidationFailed, which ends an order
        Assert.Equal(0, rejected.Sequence); // outside the order's chain: the order is unaffected
        await using var db = fixture.Db();
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == working);
        Assert.Equal((OrderStatus.Working, 0), (order.Status, events.Count(e => e.Event is OrderRejected && e.Event.Sequence > 0)));
    }

    [Fact]
    public async Task Should_respond_to_an_unbound_margin_check_request_with_its_rejection()
    {
        await using var client = new ForeignClient(fixture.Servers);
        var (address, next) = await client.ReplyQueueAsync();
        var checkId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        await client.PublishAsync("MarginCheck", $$"""
            {"checkId":"{{checkId}}","userId":"alice","accountId":"DU1234567","conid":{{Conid}},"side":"BUY","quantity":"five","orderType":"MKT"}
            """, Guid.NewGuid(), address, requestId);

        var reply = await next(TimeSpan.FromSeconds(20));
        output.WriteLine($"reply: {reply}");
        Assert.NotNull(reply);
        var envelope = JsonNode.Parse(reply)!;
        Assert.Equal(requestId.ToString(), (string?)envelope["requestId"]);
        Assert.Contains("urn:message:OrderProcessor.Contracts:OrderRejected", envelope["messageType"]!.AsArray().Select(t => (string?)t));
        var message = envelope["message"]!;
        Assert.Equal(checkId.ToString(), (string?)message["orderId"]);
        Assert.Equal("ValidationFailed", (string?)message["reasonCode"]);
        Assert.Equal("quantity", (string?)message["violations"]![0]!["field"]);
        Assert.Equal("type", (string?)message["violations"]![0]!["rule"]);
    }

    private static string Order(Guid orderId, string conid) => $$"""
        {"orderId":"{{orderId}}","userId":"alice","accountId":"DU1234567","conid":{{conid}},"side":"BUY","quantity":5,"orderType":"LMT","limitPrice":100,"timeInForce":"DAY"}
        """;

    private async Task<Guid> WorkingOrderAsync()
    {
        var order = TestOrders.Limit(limitPrice: 100m) with { Conid = Conid };
        await fixture.Downstream.Publisher.Publish(order);
        await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Working);
        return order.OrderId;
    }

    private async Task<string?> AnswerAsync(JsonObject example, Guid target, Guid messageId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var answer = (string)example["answer"]!;
        while (DateTime.UtcNow < deadline)
        {
            var ofTarget = fixture.Downstream.Received.Select(e => e.Event)
                .Where(e => e.OrderId == target || (e.OrderId == Guid.Empty && e.CausationId == messageId)).ToList();

            // A refusal of this very message (its causation id), whatever was expected: a wrong answer is shown as it is.
            var refusal = ofTarget.OfType<OrderRejected>().Where(r => r.CausationId == messageId).Select(Describe).FirstOrDefault();
            var found = answer switch
            {
                nameof(OrderRejected) => refusal,
                "PendingCancel" => ofTarget.OfType<OrderStatusChanged>().Any(e => e.Status == OrderStatus.PendingCancel) ? "PendingCancel" : refusal,
                _ => ofTarget.FirstOrDefault(e => e.GetType().Name == answer && e is not OrderRejected)?.GetType().Name ?? refusal,
            };
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return null;
    }

    private static string Describe(OrderRejected rejected) =>
        $"OrderRejected {rejected.ReasonCode} {string.Join(",", rejected.Violations.Select(v => $"{v.Field}/{v.Rule}"))}";

    private static string Expected(JsonObject example) => (string)example["answer"]! == nameof(OrderRejected)
        ? $"OrderRejected {example["reasonCode"]} {example["field"]}/{example["rule"]}"
        : (string)example["answer"]!;

    private static string Fill(string text, Guid id, Guid working)
    {
        text = text.Replace("\"$CONID\"", Conid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("\"$OVERFLOW\"", "1e400", StringComparison.Ordinal)
            .Replace("$WORKING", working.ToString(), StringComparison.Ordinal)
            .Replace("$ID", id.ToString(), StringComparison.Ordinal);
        while (text.Contains("$NEW", StringComparison.Ordinal))
        {
            var at = text.IndexOf("$NEW", StringComparison.Ordinal);
            text = text[..at] + Guid.NewGuid() + text[(at + 4)..];
        }

        return text;
    }

    /// <summary>The examples, each with <c>messageText</c>: the message as text (the raw <c>text</c> of a non-JSON one).</summary>
    private static List<JsonObject> Examples()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "contracts", "examples", "commands.json")))!;
        var examples = new List<JsonObject>();
        foreach (var node in document["cases"]!.AsArray())
        {
            var example = node!.AsObject();
            example["messageText"] = example["message"]?.ToJsonString() ?? (string)example["text"]!;
            examples.Add(example);
        }

        return examples;
    }
}

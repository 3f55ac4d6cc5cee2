using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.BadInput;

public sealed class When_bad_commands_arrive(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_refuse_each_clearly_fault_only_the_unreadable_and_leave_the_orders_around_them_unaffected()
    {
        var corpus = BadCommands.All();
        Assert.True(corpus.Count >= 40, $"the corpus has {corpus.Count} kinds");
        var sent = new List<(BadCommand Command, Guid OrderId, Guid MessageId)>();
        var neighbours = new List<PlaceOrder>();
        foreach (var (command, index) in corpus.Select((c, i) => (c, i)))
        {
            var (body, orderId) = BadCommands.Instantiate(command);
            var messageId = Guid.NewGuid();
            await RawCommandPublisher.PublishAsync(fixture.Servers, command.MessageType, body, messageId, exchangeType: nameof(PlaceOrder));
            sent.Add((command, orderId, messageId));
            if (index % 8 == 0)
            {
                var neighbour = TestOrders.Market() with { Conid = 7001 };
                await fixture.Downstream.Publisher.Publish(neighbour);
                neighbours.Add(neighbour);
            }
        }

        foreach (var neighbour in neighbours)
        {
            await fixture.WaitForStatusAsync(neighbour.OrderId, OrderStatus.Filled);
        }

        var failures = new List<string>();
        foreach (var (command, orderId, messageId) in sent.Where(s => s.Command.Outcome is BadOutcome.Rejected or BadOutcome.UnknownAccount))
        {
            var rejected = await WaitForRejectionAsync(orderId, messageId, command.Outcome == BadOutcome.UnknownAccount);
            var expectedCode = command.Outcome == BadOutcome.UnknownAccount ? RejectionReasonCode.UnknownAccount : RejectionReasonCode.ValidationFailed;
            if (rejected is null)
            {
                failures.Add($"{command.Name}: no OrderRejected");
            }
            else if (rejected.ReasonCode != expectedCode)
            {
                failures.Add($"{command.Name}: {rejected.ReasonCode} instead of {expectedCode} ({rejected.Reason})");
            }
            else if (command.Field is not null && !rejected.Violations.Any(v => v.Field == command.Field && v.Rule == command.Rule))
            {
                failures.Add($"{command.Name}: expected {command.Field}/{command.Rule}, got [{string.Join("; ", rejected.Violations.Select(v => $"{v.Field}/{v.Rule}"))}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        var faults = sent.Count(s => s.Command.Outcome == BadOutcome.Fault);
        await WaitForQueueCountAsync("place-order_error", faults);
        await WaitForQueueCountAsync("place-order_skipped", sent.Count(s => s.Command.Outcome == BadOutcome.Skipped));
        await fixture.WaitForQueueDrainedAsync("place-order");

        await using var db = fixture.Db();
        var badIds = sent.Select(s => s.OrderId).ToList();
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => badIds.Any(id => l.COID == $"op-{id:N}"));
        Assert.Equal(0, await db.Orders.CountAsync(o => badIds.Contains(o.OrderId) && o.Status != OrderStatus.Rejected));
    }

    private async Task<OrderRejected?> WaitForRejectionAsync(Guid orderId, Guid messageId, bool afterSubmission)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(afterSubmission ? 20 : 10);
        while (DateTime.UtcNow < deadline)
        {
            var rejected = fixture.Downstream.Received.Select(e => e.Event).OfType<OrderRejected>()
                .FirstOrDefault(r => r.OrderId == orderId || (r.OrderId == Guid.Empty && r.CausationId == messageId));
            if (rejected is not null)
            {
                return rejected;
            }

            await Task.Delay(50);
        }

        return null;
    }

    private async Task WaitForQueueCountAsync(string queue, int expected)
    {
        var count = await fixture.WaitForQueueCountAsync(queue, expected);
        Assert.True(count == expected, $"{queue} holds {count} messages, expected {expected}");
    }
}

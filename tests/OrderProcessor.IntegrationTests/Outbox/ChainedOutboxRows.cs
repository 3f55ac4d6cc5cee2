using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// Outbox rows of orders of their own, written as the processor writes them (hash-chained, so the audit stays
/// intact), for tests that need rows the relay must hold back or cannot publish.
/// </summary>
public static class ChainedOutboxRows
{
    /// <summary>
    /// The rows of <paramref name="orderIds"/> (by order, then the order's sequence), read every 50 ms until
    /// <paramref name="done"/> holds or <paramref name="within"/> has passed: the last read either way, for the test to
    /// assert on.
    /// </summary>
    public static async Task<List<OutboxMessage>> ReadUntilAsync(ProcessorFixture fixture, IReadOnlyCollection<Guid> orderIds,
        Func<List<OutboxMessage>, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            await using var db = fixture.Db();
            var rows = await db.Outbox.AsNoTracking().Where(o => orderIds.Contains(o.OrderId)).OrderBy(o => o.OrderId).ThenBy(o => o.OrderSequence).ToListAsync();
            if (done(rows) || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Now, at PostgreSQL's precision (microseconds): the hash covers the ticks of <c>created_at</c>.</summary>
    public static DateTimeOffset Now(TimeSpan? ago = null)
    {
        var now = DateTimeOffset.UtcNow - (ago ?? TimeSpan.Zero);
        return new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The order's first event, an <see cref="OrderAccepted"/> (its body padded by <paramref name="ocaGroup"/> if given).</summary>
    public static OutboxMessage Accepted(Guid orderId, DateTimeOffset createdAt, string? ocaGroup = null) =>
        Row(orderId, 1, null, nameof(OrderAccepted), JsonSerializer.Serialize(new OrderAccepted
        {
            OrderId = orderId,
            Sequence = 1,
            OccurredAt = createdAt,
            UserId = "held-" + orderId.ToString("N")[..8],
            AccountId = "DU1234567",
            Conid = 10001,
            Quantity = 1,
            OcaGroup = ocaGroup,
        }, ContractJson.Options), createdAt);

    /// <summary>The order's next event after <paramref name="previous"/>, an <see cref="OrderSubmitted"/>.</summary>
    public static OutboxMessage Submitted(OutboxMessage previous, DateTimeOffset createdAt) =>
        Row(previous.OrderId, previous.OrderSequence + 1, previous.Hash, nameof(OrderSubmitted), JsonSerializer.Serialize(new OrderSubmitted
        {
            OrderId = previous.OrderId,
            Sequence = previous.OrderSequence + 1,
            OccurredAt = createdAt,
            BrokerOrderId = "1" + previous.OrderSequence,
        }, ContractJson.Options), createdAt);

    /// <summary>A row of any type and body, chained after <paramref name="previousHash"/>.</summary>
    public static OutboxMessage Row(Guid orderId, long orderSequence, string? previousHash, string messageType, string body, DateTimeOffset createdAt)
    {
        var row = new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(createdAt),
            OrderId = orderId,
            OrderSequence = orderSequence,
            MessageType = messageType,
            Body = body,
            CorrelationId = orderId,
            CausationId = Guid.NewGuid(),
            CreatedAt = createdAt,
            PreviousHash = previousHash,
        };
        row.Hash = OutboxHash.Compute(row);
        return row;
    }
}

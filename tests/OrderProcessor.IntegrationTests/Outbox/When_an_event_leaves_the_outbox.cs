using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// The outbox is insert-only: every event is on the relay's pending list from its own insert, whoever writes it (the
/// trigger), and publishing it moves it from <c>outbox_pending</c> to <c>outbox_published</c> without writing the event
/// row again.
/// </summary>
public sealed class When_an_event_leaves_the_outbox(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_be_pending_from_its_insert_and_published_without_the_event_row_being_written_again()
    {
        var createdAt = ChainedOutboxRows.Now();
        var accepted = ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt);
        var submitted = ChainedOutboxRows.Submitted(accepted, createdAt);

        // Written by plain SQL in a transaction still open: the pending rows exist already, invisible to the relay.
        await using var connection = new NpgsqlConnection(fixture.Servers.ConnectionString);
        await connection.OpenAsync();
        var versions = new Dictionary<long, uint>();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var row in new[] { accepted, submitted })
            {
                await using var insert = new NpgsqlCommand("""
                    INSERT INTO outbox_messages (message_id, order_id, order_sequence, message_type, body, correlation_id, causation_id, created_at, previous_hash, hash)
                    VALUES (@message_id, @order_id, @order_sequence, @message_type, @body::json, @correlation_id, @causation_id, @created_at, @previous_hash, @hash)
                    RETURNING sequence, xmin
                    """, connection, transaction);
                insert.Parameters.AddWithValue("message_id", row.MessageId);
                insert.Parameters.AddWithValue("order_id", row.OrderId);
                insert.Parameters.AddWithValue("order_sequence", row.OrderSequence);
                insert.Parameters.AddWithValue("message_type", row.MessageType);
                insert.Parameters.AddWithValue("body", row.Body);
                insert.Parameters.AddWithValue("correlation_id", row.CorrelationId);
                insert.Parameters.AddWithValue("causation_id", row.CausationId);
                insert.Parameters.AddWithValue("created_at", row.CreatedAt);
                insert.Parameters.AddWithValue("previous_hash", (object?)row.PreviousHash ?? DBNull.Value);
                insert.Parameters.AddWithValue("hash", row.Hash);
                await using var reader = await insert.ExecuteReaderAsync();
                await reader.ReadAsync();
                row.Sequence = reader.GetInt64(0);
                versions[row.Sequence] = reader.GetFieldValue<uint>(1);
            }

            await using var pending = new NpgsqlCommand("SELECT count(*) FROM outbox_pending WHERE order_id = @order_id AND attempts = 0", connection, transaction);
            pending.Parameters.AddWithValue("order_id", accepted.OrderId);
            Assert.Equal(2L, await pending.ExecuteScalarAsync());
            await transaction.CommitAsync();
        }

        var events = await fixture.Downstream.WaitForAsync(accepted.OrderId, e => e.Count == 2, TimeSpan.FromSeconds(15));
        Assert.Equal([typeof(OrderAccepted), typeof(OrderSubmitted)], events.Select(e => e.Event.GetType()));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<OutboxMessage> rows;
        do
        {
            await using var db = fixture.Db();
            rows = await db.Outbox.AsNoTracking().Include(o => o.Pending).Include(o => o.Published)
                .Where(o => o.OrderId == accepted.OrderId).OrderBy(o => o.OrderSequence).ToListAsync();
        }
        while (rows.Any(r => r.Published is null) && DateTime.UtcNow < deadline && await Delay());

        output.WriteLine(string.Join("; ", rows.Select(r => $"event {r.OrderSequence}: published {r.Published?.PublishedAt:O} after {r.Published?.Attempts} attempt(s), pending {r.Pending is not null}")));
        Assert.All(rows, r => Assert.Equal((false, 1), (r.Pending is not null, r.Published?.Attempts)));
        Assert.True(rows[0].Published!.PublishedAt <= rows[1].Published!.PublishedAt);

        // The event rows are the versions that were inserted: publishing wrote nothing to them.
        await using var check = new NpgsqlCommand("SELECT sequence, xmin FROM outbox_messages WHERE order_id = @order_id", connection);
        check.Parameters.AddWithValue("order_id", accepted.OrderId);
        await using var versionsNow = await check.ExecuteReaderAsync();
        while (await versionsNow.ReadAsync())
        {
            Assert.Equal(versions[versionsNow.GetInt64(0)], versionsNow.GetFieldValue<uint>(1));
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}

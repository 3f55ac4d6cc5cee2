using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Audit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Audit;

public sealed class When_the_audit_trail_is_replayed_and_verified(ProcessorFixture fixture) : IClassFixture<ProcessorFixture>
{
    private OutboxRowSource Source(int batchSize = 3) => new(fixture.Servers.ConnectionString, batchSize);

    private async Task<List<PlaceOrder>> FillAsync(params PlaceOrder[] orders)
    {
        foreach (var order in orders)
        {
            await fixture.Downstream.Publisher.Publish(order);
        }

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);
        }

        await fixture.WaitForOutboxPublishedAsync();
        return orders.ToList();
    }

    private async Task<List<OutboxMessage>> RowsOfAsync(IEnumerable<PlaceOrder> orders)
    {
        var ids = orders.Select(o => o.OrderId).ToList();
        await using var db = fixture.Db();
        return await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.OrderId)).OrderBy(o => o.Sequence).ToListAsync();
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.Servers.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Should_send_exactly_the_events_of_a_time_range_to_the_audit_exchange_with_their_message_ids_and_none_to_normal_subscribers()
    {
        await FillAsync(TestOrders.Market());
        var inRange = await FillAsync(TestOrders.Market(), TestOrders.Market("bob") with { AccountId = "DU2345678" });
        await FillAsync(TestOrders.Market());
        var expected = await RowsOfAsync(inRange);
        var selection = new OutboxSelection { Since = expected.Min(r => r.CreatedAt), Until = expected.Max(r => r.CreatedAt).AddTicks(10) };
        var downstreamBefore = fixture.Downstream.Received.Count;
        await using var auditor = await AuditExchangeSubscriber.StartAsync(fixture.Servers);

        var sent = await OutboxReplayer.ReplayToExchangeAsync(auditor.Bus, OutboxReplayer.DefaultExchange, Source().ReadAsync(selection, default),
            TimeProvider.System, progress: null, default);

        Assert.Equal(expected.Count, sent);
        Assert.Equal(expected.Count, await Source().CountAsync(selection, default));
        await auditor.WaitForCountAsync(expected.Count);
        await Task.Delay(300); // long enough for a stray extra replay or a copy to a normal subscriber to show up
        var replayed = auditor.Received.OrderBy(r => r.OutboxSequence).ToList();
        Assert.Equal(expected.Select(r => (r.MessageId, r.OrderId, r.OrderSequence, (long?)r.Sequence)),
            replayed.Select(r => (r.MessageId, r.Event.OrderId, r.Event.Sequence, r.OutboxSequence)));
        Assert.All(replayed, r => Assert.Equal(("true", true), (r.ReplayMarker, r.ReplayedAt is not null)));
        Assert.Equal(expected.Select(r => r.MessageType), replayed.Select(r => r.Event.GetType().Name));
        Assert.Equal(downstreamBefore, fixture.Downstream.Received.Count);
    }

    [Fact]
    public async Task Should_select_by_order_user_account_and_sequence_range()
    {
        var (alice, bob) = (TestOrders.Market(), TestOrders.Market("bob") with { AccountId = "DU2345678" });
        await FillAsync(alice, bob);
        var rows = await RowsOfAsync([alice, bob]);
        var bobs = rows.Where(r => r.OrderId == bob.OrderId).Select(r => r.Sequence).ToList();

        async Task<List<long>> SelectAsync(OutboxSelection selection) =>
            await Source().ReadAsync(selection, default).Select(r => r.Sequence).ToListAsync();

        Assert.Equal(bobs, await SelectAsync(new OutboxSelection { OrderId = bob.OrderId }));
        Assert.Equal(bobs, await SelectAsync(new OutboxSelection { UserId = "bob", FromSequence = rows[0].Sequence }));
        Assert.Equal(bobs, await SelectAsync(new OutboxSelection { AccountId = "DU2345678", FromSequence = rows[0].Sequence }));
        Assert.Equal(rows.Select(r => r.Sequence).Skip(1).SkipLast(1),
            await SelectAsync(new OutboxSelection { FromSequence = rows[1].Sequence, ToSequence = rows[^2].Sequence }));
    }

    [Fact]
    public async Task Should_write_json_lines_that_read_back_to_the_same_rows_and_verify()
    {
        var orders = await FillAsync(TestOrders.Market(), TestOrders.Market("bob") with { AccountId = "DU2345678" });
        var rows = await RowsOfAsync(orders);
        var selection = new OutboxSelection { FromSequence = rows[0].Sequence, ToSequence = rows[^1].Sequence };
        var file = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)))
            {
                Assert.Equal(rows.Count, await OutboxReplayer.WriteJsonLinesAsync(writer, Source().ReadAsync(selection, default), null, default));
            }

            using var reader = File.OpenText(file);
            var read = await OutboxJsonLines.ReadAsync(reader, default).ToListAsync();
            Assert.Equal(rows.Select(r => r.MessageId), read.Select(r => r.MessageId));
            Assert.Equal(rows.Select(r => (r.Body, r.Hash, r.PreviousHash, r.CreatedAt, r.OrderSequence)),
                read.Select(r => (r.Body, r.Hash, r.PreviousHash, r.CreatedAt, r.OrderSequence)));
            var report = await OutboxAuditor.VerifyRowsAsync(read.ToAsyncEnumerable(), null, default);
            Assert.True(report.IsIntact, string.Join("; ", report.Breaks));
            Assert.Equal((rows.Count, 2L), (report.RowsChecked, report.ChainsChecked));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Should_pass_the_intact_database_then_name_the_order_and_sequence_of_altered_and_removed_rows()
    {
        var (altered, truncated, erased) = (TestOrders.Market(), TestOrders.Market(), TestOrders.Market());
        await FillAsync(altered, truncated, erased);
        var progress = new List<AuditProgress>();

        var intact = await OutboxAuditor.VerifyDatabaseAsync(Source(), progress.Add, default);

        Assert.True(intact.IsIntact, string.Join("; ", intact.Breaks));
        Assert.True(intact.ChainsChecked >= 2);
        Assert.Equal(intact.RowsChecked, progress[^1].RowsDone);
        Assert.Equal(intact.RowsChecked, progress[^1].TotalRows);

        await ExecuteAsync("UPDATE outbox_messages SET body = (body::jsonb || '{\"brokerStatus\":\"Tampered\"}')::json WHERE order_id = @id AND order_sequence = 2",
            ("id", altered.OrderId));
        var lastOfTruncated = (await RowsOfAsync([truncated])).Max(r => r.OrderSequence);
        await ExecuteAsync("DELETE FROM outbox_messages WHERE order_id = @id AND order_sequence = @sequence",
            ("id", truncated.OrderId), ("sequence", lastOfTruncated));

        var erasedRows = (await RowsOfAsync([erased])).Count;
        await using (var db = fixture.Db())
        {
            Assert.Equal(erasedRows, await db.Outbox.Where(o => o.OrderId == erased.OrderId).ExecuteDeleteAsync());
        }

        var broken = await OutboxAuditor.VerifyDatabaseAsync(Source(), null, default);

        Assert.Equal(
            [(altered.OrderId, 2L, AuditBreakKind.HashMismatch), (truncated.OrderId, lastOfTruncated - 1, AuditBreakKind.ChainEndMismatch),
                (erased.OrderId, 0L, AuditBreakKind.ChainEndMismatch)],
            broken.Breaks.Select(b => (b.OrderId, b.OrderSequence, b.Kind)).OrderBy(b => b.Kind).ThenBy(b => b.OrderSequence == 0));
        Assert.Equal(intact.RowsChecked - 1 - erasedRows, broken.RowsChecked);
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// Publishing a row leaves its entry in the unpublished rows' partial indexes until VACUUM. The relay's read must not
/// visit the table for those entries on every batch: it walks the index and passes over entries it found dead once.
/// Set up as a day leaves it: statistics taken while every row was unpublished, then thousands published since. (The
/// bitmap scan PostgreSQL chose for this read in the benchmark, which visits the table for every dead entry on every
/// read, came from statistics this test does not reproduce; the test pins the plan the relay's settings give.)
/// </summary>
[Collection(DeadIndexEntriesCollection.Name)]
public sealed class When_published_rows_leave_dead_index_entries(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>
{
    private const int Published = 3000;
    private const int Due = 24;

    [Fact]
    public async Task Should_read_the_due_rows_without_visiting_the_published_ones_again()
    {
        var createdAt = ChainedOutboxRows.Now();
        await using (var db = servers.CreateDbContext())
        {
            // No autovacuum in between: what is measured is the read on dead entries, as between two vacuums of a large table.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE outbox_messages SET (autovacuum_enabled = false)");
            db.Outbox.AddRange(Enumerable.Range(0, Due).Select(_ => ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt)));
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("ANALYZE outbox_messages");
            db.Outbox.AddRange(Enumerable.Range(0, Published).Select(_ => ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt)));
            await db.SaveChangesAsync();
            await db.Outbox.ExecuteUpdateAsync(set => set.SetProperty(o => o.PublishedAt, DateTimeOffset.UtcNow));
        }

        List<Guid> due;
        await using (var db = servers.CreateDbContext())
        {
            var rows = Enumerable.Range(0, Due).Select(_ => ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt)).ToList();
            db.Outbox.AddRange(rows);
            await db.SaveChangesAsync();
            due = [.. rows.Select(r => r.MessageId)];
        }

        // The relay's own statement, settings included, as it reads a batch.
        await using (var db = servers.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var read = await db.Outbox.FromSqlRaw(OutboxRelay.PlannedRead, DateTimeOffset.UtcNow, long.MaxValue, 100).ToListAsync();
            Assert.Equal(due.Order(), read.Select(r => r.MessageId).Order());
        }

        var next = await PagesReadAsync(OutboxRelay.ReadPlanSettings);
        output.WriteLine($"{Published} published rows' dead entries: the relay's next read touched {next.Pages} pages by {next.Scan}");
        Assert.Equal("Index Scan on ix_outbox_messages_unpublished", next.Scan);
        Assert.True(next.Pages < 150, $"the relay's read touched {next.Pages} pages for {Due} due rows after {Published} were published");
    }

    /// <summary>
    /// The pages (shared buffers) the relay's read touches under <paramref name="settings"/> and how it reaches the rows,
    /// from its plan executed.
    /// </summary>
    private async Task<(long Pages, string Scan)> PagesReadAsync(string settings)
    {
        await using var db = servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync(settings);
        var select = string.Format(CultureInfo.InvariantCulture, OutboxRelay.UnpublishedRowsSql, "now()", long.MaxValue, 100);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + select;
        using var json = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
        var root = json.RootElement[0].GetProperty("Plan");
        return (root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64(), ScanOfTheRows(root) ?? "?");
    }

    /// <summary>How the plan reaches the candidate rows (<c>o</c>).</summary>
    private static string? ScanOfTheRows(JsonElement node)
    {
        if (node.TryGetProperty("Alias", out var alias) && alias.GetString() == "o")
        {
            return node.GetProperty("Node Type").GetString() + (node.TryGetProperty("Index Name", out var index) ? " on " + index.GetString() : "");
        }

        return node.TryGetProperty("Plans", out var plans) ? plans.EnumerateArray().Select(ScanOfTheRows).FirstOrDefault(s => s is not null) : null;
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// Every order passes through due states on its way to IBKR, and each status change writes a new row version: the old
/// versions' entries stay in the claim's indexes (due time; status and user) until VACUUM. The claim's numbering must
/// not visit the table for those entries on every claim: it walks the indexes and passes over the entries it found dead
/// once. Set up as a busy day leaves it between two vacuums: statistics taken while the orders were due, then every one
/// sent and filled since, and a few new ones due.
/// </summary>
[Collection(DeadIndexEntriesCollection.Name)]
public sealed class When_orders_moved_on_leave_dead_index_entries(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MovedOn = 3000;
    private const int Due = 20;
    private readonly StandaloneOrderStores _stores = new();

    public Task InitializeAsync() => _stores.InitializeAsync();

    public Task DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Should_number_the_due_orders_without_visiting_the_old_versions_again()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = _stores.Servers.CreateDbContext())
        {
            // No autovacuum in between: what is measured is the read on dead entries, as between two vacuums of a large table.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE orders SET (autovacuum_enabled = false)");
            db.Orders.AddRange(Enumerable.Range(0, MovedOn).Select(i => Order($"user-{i % 50}", now.AddMinutes(-2))));
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlRawAsync("ANALYZE orders");
            // Sent (a version in Submitting, due for a follow-up), then filled (a final version, nothing due).
            await db.Orders.ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, OrderStatus.Submitting)
                .SetProperty(o => o.WorkDue, OrderWork.Reconcile)
                .SetProperty(o => o.WorkDueAt, now.AddMinutes(-1)));
            await db.Orders.ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, OrderStatus.Filled)
                .SetProperty(o => o.WorkDue, OrderWork.None)
                .SetProperty(o => o.WorkDueAt, (DateTimeOffset?)null));
        }

        List<Guid> due;
        await using (var db = _stores.Servers.CreateDbContext())
        {
            var orders = Enumerable.Range(0, Due).Select(i => Order($"user-{i}", now.AddSeconds(-1))).ToList();
            db.Orders.AddRange(orders);
            await db.SaveChangesAsync();
            due = [.. orders.Select(o => o.OrderId)];
        }

        var first = await NumberingAsync(now);
        var next = await NumberingAsync(now);
        output.WriteLine($"{MovedOn} orders moved on: the first numbering touched {first.Pages} pages, the next {next.Pages}; scans of orders: {string.Join(", ", next.Scans)}");
        Assert.Equal(due.Order(), first.Candidates.Order());
        Assert.Equal(due.Order(), next.Candidates.Order());
        // Index scans only: a sequential scan reads every page of the table, a bitmap scan visits the old versions every time.
        Assert.DoesNotContain(next.Scans, scan => scan.StartsWith("Seq Scan", StringComparison.Ordinal) || scan.StartsWith("Bitmap", StringComparison.Ordinal));
        Assert.Contains("Index Scan on ix_orders_work_due_at", next.Scans);
        Assert.True(next.Pages < 150, $"the claim's numbering touched {next.Pages} pages for {Due} due orders after {MovedOn} moved on");

        // And the store claims them through that statement.
        var store = _stores.Create(new LifecycleOptions(), TimeProvider.System);
        var claimed = await store.ClaimDueWorkAsync(new ClaimBudget(Limit: 100, PerUser: 8, Running: new Dictionary<string, int>(), Stopping: []), CancellationToken.None);
        Assert.Equal(due.Order(), claimed.Select(w => w.LeaderId).Order());
    }

    /// <summary>
    /// The claim's numbering as the store runs it: its settings, its statement prepared and executed under the generic
    /// plan the store uses (EXPLAIN of the statement with values would plan it afresh for them), once for the candidates
    /// and once with its plan measured: the pages (shared buffers) it touched and how it reached the orders.
    /// </summary>
    private async Task<(List<Guid> Candidates, long Pages, List<string> Scans)> NumberingAsync(DateTimeOffset now)
    {
        await using var db = _stores.Servers.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var setting in PostgresOrderStore.CandidatesPlanSettings)
        {
            await db.Database.ExecuteSqlRawAsync(setting);
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transactionOf = (NpgsqlTransaction)transaction.GetDbTransaction();
        // A name of its own: a prepared statement stays with the (pooled) connection, and the test's database goes with it.
        var name = "numbering_" + Guid.NewGuid().ToString("N");
        await RunAsync($"PREPARE {name}(timestamptz, timestamptz, text[], text, text[], int[], int, text[], int) AS " + PostgresOrderStore.CandidatesSql);
        var execute = $"EXECUTE {name}('{now:O}', '{now - new LifecycleOptions().MaxHold:O}', '{{}}', 'this-instance', '{{}}', '{{}}', 8, '{{}}', 100)";
        var candidates = new List<Guid>();
        await using (var read = Command(execute))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                candidates.Add(reader.GetGuid(0));
            }
        }

        await using var explain = Command("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + execute);
        using var json = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        var root = json.RootElement[0].GetProperty("Plan");
        var pages = root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64();
        return (candidates, pages, [.. ScansOfOrders(root)]);

        NpgsqlCommand Command(string sql) => new(sql, connection, transactionOf);

        async Task RunAsync(string sql)
        {
            await using var command = Command(sql);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every scan of <c>orders</c> in the plan, as "node type on index" (or the node type alone).</summary>
    private static IEnumerable<string> ScansOfOrders(JsonElement node)
    {
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() == "orders")
        {
            yield return node.GetProperty("Node Type").GetString() + (node.TryGetProperty("Index Name", out var index) ? " on " + index.GetString() : "");
        }

        if (node.TryGetProperty("Plans", out var plans))
        {
            foreach (var scan in plans.EnumerateArray().SelectMany(ScansOfOrders))
            {
                yield return scan;
            }
        }
    }

    private static OrderSaga Order(string user, DateTimeOffset at) => DueOrder.Of(user, OrderStatus.Received, OrderWork.Submit, at, at);
}

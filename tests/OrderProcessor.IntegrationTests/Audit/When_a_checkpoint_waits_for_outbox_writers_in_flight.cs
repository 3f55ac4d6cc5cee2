using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Audit;

/// <summary>
/// A checkpoint must not sign over a row still being written (a smaller sequence that commits after a larger one), and
/// must not make the writers wait while it waits for that row: order processing goes on, and a write transaction left
/// open makes the round skip instead of stalling anyone.
/// </summary>
public sealed class When_a_checkpoint_waits_for_outbox_writers_in_flight(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>
{
    private static readonly TimeSpan WritersTimeout = TimeSpan.FromSeconds(4);
    private readonly CheckpointSigningKey _key = CheckpointSigningKey.Generate();

    private AuditCheckpointer Checkpointer() => new(servers.ConnectionString, _key, TimeProvider.System);

    /// <summary>Inserts a standalone outbox row in the given transaction (or its own) and returns its sequence.</summary>
    private static async Task<long> InsertRowAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO outbox_messages (message_id, order_id, order_sequence, message_type, body, correlation_id, causation_id, created_at, attempts, hash)
            VALUES (gen_random_uuid(), gen_random_uuid(), 0, 'MarginCheckCompleted', '{}', gen_random_uuid(), gen_random_uuid(), now(), 0, md5(random()::text) || md5(random()::text))
            RETURNING sequence
            """, connection, transaction);
        return (long)(await insert.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(servers.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>How long another writer's insert (and commit) takes while the checkpoint is waiting.</summary>
    private async Task<(TimeSpan Took, long Sequence)> TimedInsertAsync()
    {
        await using var connection = await OpenAsync();
        var clock = Stopwatch.StartNew();
        var sequence = await InsertRowAsync(connection);
        return (clock.Elapsed, sequence);
    }

    /// <summary>Until the checkpointer holds its advisory lock (it reads M right after), so what follows happens while it waits.</summary>
    private async Task WaitUntilTakingAsync(Task<CheckpointAttempt> taking)
    {
        await using var connection = await OpenAsync();
        await using var held = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await held.ExecuteScalarAsync())! == 0 && !taking.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        Assert.False(taking.IsCompleted, "the checkpoint did not wait for the row still in flight");
    }

    private async Task<CheckpointReport> VerifyAsync(AuditCheckpoint checkpoint)
    {
        await using var db = servers.CreateDbContext();
        var rows = db.Outbox.OrderBy(o => o.Sequence).AsAsyncEnumerable();
        return await CheckpointAuditor.VerifyAsync([checkpoint], _key.PublicKey, rows, default);
    }

    [Fact]
    public async Task Should_wait_for_a_smaller_sequence_still_in_flight_without_holding_back_other_writers()
    {
        await using var slow = await OpenAsync();
        await using var open = await slow.BeginTransactionAsync();
        var inFlight = await InsertRowAsync(slow, open);
        var (_, committedAfter) = await TimedInsertAsync();
        Assert.True(committedAfter > inFlight);

        var clock = Stopwatch.StartNew();
        var taking = Checkpointer().TakeAsync(WritersTimeout, null, default);
        await WaitUntilTakingAsync(taking);
        var waitingSince = clock.Elapsed;
        var (took, _) = await TimedInsertAsync();
        await Task.Delay(300);
        await open.CommitAsync();
        var attempt = await taking;

        var checkpoint = Assert.IsType<AuditCheckpoint>(attempt.Checkpoint);
        var report = await VerifyAsync(checkpoint);
        output.WriteLine($"row {inFlight} in flight, {committedAfter} committed: another insert took {took.TotalMilliseconds:F0} ms while the checkpoint waited; " +
            $"the checkpoint, waiting from {waitingSince.TotalMilliseconds:F0} ms, came after {clock.Elapsed.TotalMilliseconds:F0} ms at sequence {checkpoint.Sequence} and {(report.IsIntact ? "holds" : "FAILS: " + report.Failures.FirstOrDefault()?.Description)}");
        Assert.True(took < TimeSpan.FromSeconds(1), $"an insert waited {took.TotalMilliseconds:F0} ms behind the checkpoint");
        Assert.True(checkpoint.Sequence >= committedAfter);
        Assert.True(report.IsIntact, "the checkpoint signed over a row that committed after it: " + report.Failures.FirstOrDefault()?.Description);
    }

    [Fact]
    public async Task Should_skip_the_round_when_a_write_transaction_stays_open_and_never_stall_the_writers()
    {
        await using var dba = await OpenAsync();
        await using var open = await dba.BeginTransactionAsync();
        await InsertRowAsync(dba, open);

        var clock = Stopwatch.StartNew();
        var taking = Checkpointer().TakeAsync(WritersTimeout, null, default);
        await WaitUntilTakingAsync(taking);
        var inserts = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            inserts.Add((await TimedInsertAsync()).Took);
        }

        var attempt = await taking;
        var waited = clock.Elapsed;
        await open.RollbackAsync();
        output.WriteLine($"with a write transaction left open: inserts took {string.Join(", ", inserts.Select(t => $"{t.TotalMilliseconds:F0} ms"))}; " +
            $"the round ended after {waited.TotalMilliseconds:F0} ms: {(attempt.Checkpoint is null ? $"skipped ({attempt.Skip})" : $"SIGNED at {attempt.Checkpoint.Sequence}")}");
        Assert.All(inserts, took => Assert.True(took < TimeSpan.FromSeconds(1), $"an insert waited {took.TotalMilliseconds:F0} ms behind the checkpoint"));
        Assert.Null(attempt.Checkpoint);
        Assert.Equal(CheckpointSkip.WritersInFlight, attempt.Skip);
        Assert.True(waited >= WritersTimeout - TimeSpan.FromMilliseconds(100) && waited < WritersTimeout + TimeSpan.FromSeconds(5),
            $"the round ended after {waited.TotalMilliseconds:F0} ms, not after its timeout of {WritersTimeout.TotalMilliseconds:F0} ms");
    }
}

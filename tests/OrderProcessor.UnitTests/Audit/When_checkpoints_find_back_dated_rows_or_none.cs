using System.Diagnostics;
using System.Text.Json;
using OrderProcessor.Audit;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Audit;

public sealed class When_checkpoints_find_back_dated_rows_or_none(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static OutboxMessage Standalone(long sequence, DateTimeOffset createdAt)
    {
        var row = new OutboxMessage
        {
            Sequence = sequence,
            MessageId = Guid.NewGuid(),
            OrderId = Guid.NewGuid(),
            OrderSequence = 0,
            MessageType = "MarginCheckCompleted",
            Body = "{}",
            CreatedAt = createdAt,
        };
        row.Hash = OutboxHash.Compute(row);
        return row;
    }

    /// <summary>Rows one a minute from <see cref="Start"/>, a checkpoint after every third (taken as its last row is written).</summary>
    private static (List<OutboxMessage> Rows, List<AuditCheckpoint> Checkpoints, CheckpointSigningKey Key) History(int count)
    {
        var key = CheckpointSigningKey.Generate();
        var rows = Enumerable.Range(1, count).Select(i => Standalone(i, Start.AddMinutes(i))).ToList();
        var heads = new ChainHeads();
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var row in rows)
        {
            heads.Add(row.Sequence, row.OrderId, row.OrderSequence, row.Hash);
            if (row.Sequence % 3 == 0)
            {
                checkpoints.Add(AuditCheckpoint.Sign(key, row.Sequence, heads.Digest(), row.CreatedAt.AddSeconds(1)));
            }
        }

        return (rows, checkpoints, key);
    }

    [Fact]
    public async Task Should_flag_a_row_inserted_after_a_checkpoint_with_an_old_created_at_even_once_the_next_checkpoint_signs_it()
    {
        var (rows, checkpoints, key) = History(6);
        var honest = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default);
        Assert.True(honest.IsIntact, string.Join("; ", honest.Failures.Select(f => f.Description)) + $" {honest.BackdatedCount} back-dated");

        // After the checkpoint at 6 (taken 08:06:01), a DBA inserts row 7 dated 08:00 and the next checkpoint signs it.
        var forged = Standalone(7, Start);
        rows.Add(forged);
        var heads = new ChainHeads();
        rows.ForEach(r => heads.Add(r.Sequence, r.OrderId, r.OrderSequence, r.Hash));
        checkpoints.Add(AuditCheckpoint.Sign(key, 7, heads.Digest(), Start.AddMinutes(8)));

        var report = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default);
        output.WriteLine($"{report.Checks.Count} checkpoints, {report.Failures.Count()} fail; back-dated: " +
            string.Join(", ", report.Backdated.Select(b => $"row {b.OutboxSequence} created {b.CreatedAt:O} after checkpoint {b.CheckpointSequence} taken {b.CheckpointTakenAt}")));
        Assert.Empty(report.Failures);
        var backdated = Assert.Single(report.Backdated);
        Assert.Equal((7L, 6L), (backdated.OutboxSequence, backdated.CheckpointSequence));
        Assert.False(report.IsIntact);
    }

    [Fact]
    public async Task Should_allow_a_row_dated_before_a_checkpoint_within_the_tolerance()
    {
        var (rows, checkpoints, key) = History(6);
        // Row 7 was created 4 minutes before the checkpoint at 6 was taken (its transaction stayed open) and committed after it.
        var taken = DateTimeOffset.Parse(checkpoints[^1].TakenAt, System.Globalization.CultureInfo.InvariantCulture);
        rows.Add(Standalone(7, taken.AddMinutes(-4)));

        var report = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default);
        var strict = await CheckpointAuditor.VerifyAsync(checkpoints, key.PublicKey, rows.ToAsyncEnumerable(), default, TimeSpan.FromMinutes(1));
        output.WriteLine($"4 min before: {report.BackdatedCount} back-dated with 5 min tolerance, {strict.BackdatedCount} with 1 min");
        Assert.Equal(0, report.BackdatedCount);
        Assert.True(report.IsIntact);
        Assert.Equal(1, strict.BackdatedCount);
    }

    [Fact]
    public async Task Should_not_call_the_checkpoints_intact_when_there_are_none()
    {
        var (rows, _, key) = History(3);
        var report = await CheckpointAuditor.VerifyAsync([], key.PublicKey, rows.ToAsyncEnumerable(), default);
        output.WriteLine($"no checkpoints: intact {report.IsIntact}, reason: {report.Reason}");
        Assert.False(report.IsIntact);
        Assert.Equal(CheckpointReport.NoCheckpointReason, report.Reason);
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----\n")]
    public void Should_say_a_malformed_public_key_is_not_one_as_a_format_error(string pem)
    {
        var error = Assert.Throws<FormatException>(() => CheckpointVerifyingKey.FromPem(pem));
        output.WriteLine(error.Message);
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n")]
    public void Should_say_a_malformed_signing_key_is_not_one_as_a_format_error(string pem)
    {
        var error = Assert.Throws<FormatException>(() => CheckpointSigningKey.FromPem(pem));
        output.WriteLine(error.Message);
    }

    /// <summary>tools/audit/verify_audit.py on the same history: an export, the checkpoint file, the public key.</summary>
    private async Task<(int Exit, JsonElement Report)> AuditorScriptAsync(IEnumerable<OutboxMessage> rows, IEnumerable<AuditCheckpoint> checkpoints, CheckpointSigningKey key)
    {
        var work = Directory.CreateTempSubdirectory("audit-script-").FullName;
        try
        {
            var export = Path.Combine(work, "rows.jsonl");
            await File.WriteAllLinesAsync(export, rows.Select(OutboxJsonLines.Serialize));
            var file = Path.Combine(work, CheckpointFile.FileName);
            await File.WriteAllLinesAsync(file, checkpoints.Select(c => c.ToJsonLine()));
            var publicKey = Path.Combine(work, "verify.pem");
            await File.WriteAllTextAsync(publicKey, key.PublicKey.ToPem());
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { Path.Combine(RepositoryRoot.Find(), "tools", "audit", "verify_audit.py"), "--export", export, "--checkpoints", file, "--public-key", publicKey, "--json" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            output.WriteLine($"verify_audit.py: exit {process.ExitCode} {await stderr}\n{await stdout}");
            return (process.ExitCode, JsonDocument.Parse(await stdout).RootElement.Clone());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Should_agree_with_the_auditors_script_on_back_dated_rows_and_on_no_checkpoints()
    {
        var (rows, checkpoints, key) = History(6);
        var (exit, report) = await AuditorScriptAsync(rows, checkpoints, key);
        Assert.Equal(0, exit);
        Assert.True(report.GetProperty("intact").GetBoolean());

        var forged = Standalone(7, Start);
        rows.Add(forged);
        var heads = new ChainHeads();
        rows.ForEach(r => heads.Add(r.Sequence, r.OrderId, r.OrderSequence, r.Hash));
        checkpoints.Add(AuditCheckpoint.Sign(key, 7, heads.Digest(), Start.AddMinutes(8)));
        (exit, report) = await AuditorScriptAsync(rows, checkpoints, key);
        Assert.Equal(1, exit);
        Assert.All(report.GetProperty("checkpoints").EnumerateArray(), c => Assert.True(c.GetProperty("holds").GetBoolean()));
        var backdated = Assert.Single(report.GetProperty("backdated").EnumerateArray());
        Assert.Equal((7L, 6L), (backdated.GetProperty("sequence").GetInt64(), backdated.GetProperty("checkpointSequence").GetInt64()));

        (exit, report) = await AuditorScriptAsync(rows, [], key);
        Assert.Equal(1, exit);
        Assert.False(report.GetProperty("intact").GetBoolean());
        Assert.Contains("no checkpoint found", report.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Audit;

/// <summary>
/// A database administrator rewrites an event and recomputes every hash after it, so the chains are consistent again;
/// the checkpoints the processor signed with a key the database never held still tell, to `orders audit verify` and to
/// an auditor's script written from the documentation alone.
/// </summary>
public sealed class When_history_is_rewritten_behind_signed_checkpoints(When_history_is_rewritten_behind_signed_checkpoints.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_history_is_rewritten_behind_signed_checkpoints.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        public string Work { get; } = Directory.CreateTempSubdirectory("audit-checkpoints-").FullName;

        public string SigningKeyFile => Path.Combine(Work, "checkpoint-signing.pem");

        public string PublicKeyFile => Path.Combine(Work, "checkpoint-verify.pem");

        /// <summary>Where the processor appends its checkpoints (the auditor's directory).</summary>
        public string CheckpointDirectory => Path.Combine(Work, "checkpoints");

        public Fixture()
        {
            var key = CheckpointSigningKey.Generate();
            File.WriteAllText(SigningKeyFile, key.ToPem());
            File.WriteAllText(PublicKeyFile, key.PublicKey.ToPem());
        }

        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Audit:Checkpoints:SigningKeyFile"] = SigningKeyFile,
            ["Audit:Checkpoints:Directory"] = CheckpointDirectory,
            ["Audit:Checkpoints:Interval"] = "00:00:01",
        };

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(Work, recursive: true);
        }
    }

    private async Task FillAsync(params PlaceOrder[] orders)
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
    }

    private async Task<long> LatestSequenceAsync()
    {
        await using var db = fixture.Db();
        return await db.Outbox.MaxAsync(o => o.Sequence);
    }

    private async Task<IReadOnlyList<AuditCheckpoint>> WaitForCheckpointAsync(long sequence)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var file = Path.Combine(fixture.CheckpointDirectory, CheckpointFile.FileName);
        while (true)
        {
            var checkpoints = File.Exists(file) ? await ReadCompleteLinesAsync(file) : [];
            if (checkpoints.Any(c => c.Sequence >= sequence) || DateTime.UtcNow > deadline)
            {
                Assert.Contains(checkpoints, c => c.Sequence >= sequence);
                return checkpoints;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The checkpoints of the processor's file, leaving out a last line it may be appending right now.</summary>
    private static async Task<IReadOnlyList<AuditCheckpoint>> ReadCompleteLinesAsync(string file)
    {
        var text = await File.ReadAllTextAsync(file);
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(AuditCheckpoint.Parse).ToList();
    }

    private Task<(int Exit, string Output)> OrdersAsync(params string[] arguments) => OrdersCliProcess.RunAsync(fixture.Servers, arguments);

    private async Task<(int Exit, string Output)> AuditorScriptAsync(string export, string checkpoints)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     Path.Combine(RepositoryRoot.Path, "tools", "audit", "verify_audit.py"), "--export", export, "--checkpoints", checkpoints,
                     "--public-key", fixture.PublicKeyFile, "--json",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>What a DBA does: alters an event, then recomputes its hash, every later hash of its chain and the order row's last hash.</summary>
    private async Task<long> RewriteAsync(Guid orderId, long orderSequence)
    {
        await using (var connection = new NpgsqlConnection(fixture.Servers.ConnectionString))
        {
            await connection.OpenAsync();
            await using var alter = new NpgsqlCommand(
                "UPDATE outbox_messages SET body = (body::jsonb || '{\"filledQuantity\":1}')::json WHERE order_id = @id AND order_sequence = @sequence", connection);
            alter.Parameters.AddWithValue("id", orderId);
            alter.Parameters.AddWithValue("sequence", orderSequence);
            Assert.Equal(1, await alter.ExecuteNonQueryAsync());
        }

        await using var db = fixture.Db();
        var chain = await db.Outbox.Where(o => o.OrderId == orderId && o.OrderSequence > 0).OrderBy(o => o.OrderSequence).ToListAsync();
        for (var i = 0; i < chain.Count; i++)
        {
            chain[i].PreviousHash = i == 0 ? null : chain[i - 1].Hash;
            chain[i].Hash = OutboxHash.Compute(chain[i]);
        }

        var order = await db.Orders.SingleAsync(o => o.OrderId == orderId);
        order.LastEventHash = chain[^1].Hash;
        await db.SaveChangesAsync();
        return chain.Single(r => r.OrderSequence == orderSequence).Sequence;
    }

    /// <summary>docs/audit.md's SQL gives the checkpoint's digest and its jq + OpenSSL lines verify its signature, run as written there.</summary>
    private async Task AssertTheDocumentedRecipesAgreeAsync(AuditCheckpoint checkpoint, string checkpointFile)
    {
        var documentation = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "audit.md"));
        var sql = CodeBlock(documentation, "```sql", "-- checkpoint digest").Replace(":upto", checkpoint.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(fixture.Servers.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((checkpoint.Digest, checkpoint.Chains, checkpoint.Standalone), (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        if (!OnPath("jq") || !OnPath("openssl"))
        {
            // Debian installs neither by default; the rest of this test (the SQL, the Python verifier) still runs.
            output.WriteLine("jq or openssl is not installed: docs/audit.md's jq + OpenSSL lines were not run");
            return;
        }

        var shell = CodeBlock(documentation, "```bash", "line=$(tail -n 1 audit-checkpoints.jsonl)");
        var work = Directory.CreateTempSubdirectory("audit-recipe-").FullName;
        File.Copy(checkpointFile, Path.Combine(work, CheckpointFile.FileName));
        File.Copy(fixture.PublicKeyFile, Path.Combine(work, "checkpoint-verify.pem"));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work };
        start.ArgumentList.Add("-euc");
        start.ArgumentList.Add(shell);
        using var process = Process.Start(start)!;
        var outputText = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"docs/audit.md's SQL gives digest {checkpoint.Digest[..12]}… at {checkpoint.Sequence}; its OpenSSL lines: {outputText.Trim()}");
        Assert.True(process.ExitCode == 0, outputText);
        Assert.Contains("Signature Verified Successfully", outputText, StringComparison.Ordinal);
        Directory.Delete(work, recursive: true);
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));

    private static string CodeBlock(string markdown, string fence, string firstLine)
    {
        var start = markdown.IndexOf(fence + "\n" + firstLine, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/audit.md has no {fence} block starting with {firstLine}");
        start += fence.Length + 1;
        return markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Should_let_one_checkpointer_at_a_time_take_and_write_a_checkpoint()
    {
        var key = CheckpointSigningKey.FromPem(await File.ReadAllTextAsync(fixture.SigningKeyFile));
        var first = new AuditCheckpointer(fixture.Servers.ConnectionString, key, TimeProvider.System);
        var second = new AuditCheckpointer(fixture.Servers.ConnectionString, key, TimeProvider.System);
        var writing = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        Task<CheckpointAttempt> firstTake;
        do
        {
            // The fixture's processor takes one every second too: try again while it holds the lock.
            firstTake = first.TakeAsync(TimeSpan.FromSeconds(2), async (_, _) =>
            {
                writing.TrySetResult();
                await release.Task;
            }, default);
        }
        while (await Task.WhenAny(writing.Task, firstTake) == firstTake && (await firstTake).Checkpoint is null);

        var whileHeld = await second.TakeAsync(TimeSpan.FromSeconds(2), null, default);
        release.SetResult();
        var taken = (await firstTake).Checkpoint;
        AuditCheckpoint? afterwards = null;
        for (var attempt = 0; attempt < 50 && afterwards is null; attempt++)
        {
            afterwards = (await second.TakeAsync(TimeSpan.FromSeconds(2), null, default)).Checkpoint;
        }

        output.WriteLine($"while the first was writing the second got {(whileHeld.Checkpoint is null ? $"nothing ({whileHeld.Skip})" : "a checkpoint")}; afterwards {(afterwards is null ? "nothing" : "one at " + afterwards.Sequence)}");
        Assert.Null(whileHeld.Checkpoint);
        Assert.Equal(CheckpointSkip.AnotherProcessor, whileHeld.Skip);
        Assert.NotNull(taken);
        Assert.NotNull(afterwards);
    }

    [Fact]
    public async Task Should_sign_a_checkpoint_every_interval_into_the_auditors_file_and_onto_the_audit_exchange()
    {
        await using var auditor = await CheckpointSubscriber.StartAsync(fixture.Servers);
        await FillAsync(TestOrders.Market());
        var latest = await LatestSequenceAsync();

        var checkpoints = await WaitForCheckpointAsync(latest);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!auditor.Received.Any(c => c.Sequence >= latest) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"{checkpoints.Count} checkpoint(s) in the file, {auditor.Received.Count} on the exchange; latest outbox row {latest}");
        var sent = auditor.Received.First(c => c.Sequence >= latest);
        var key = CheckpointVerifyingKey.FromPem(await File.ReadAllTextAsync(fixture.PublicKeyFile));
        Assert.Null(CheckpointAuditor.SignatureProblem(sent, key));
        Assert.Contains(sent, checkpoints);
        Assert.Equal(checkpoints.Count, checkpoints.Select(c => c.TakenAt).Distinct().Count());
    }

    [Fact]
    public async Task Should_catch_a_rewritten_event_with_recomputed_hashes_in_the_cli_and_in_the_auditors_script()
    {
        var (early, rewritten, late) = (TestOrders.Market(), TestOrders.Market(), TestOrders.Market());
        await FillAsync(early);
        var beforeRewritten = await LatestSequenceAsync();
        await WaitForCheckpointAsync(beforeRewritten);
        await FillAsync(rewritten, late);
        var (exit, text) = await OrdersAsync("audit", "checkpoint", "--key-file", fixture.SigningKeyFile, "--to-dir", fixture.CheckpointDirectory, "--no-exchange");
        Assert.True(exit == 0, text);

        // What the auditor holds: the checkpoints signed so far, copied out of the processor's reach.
        var held = Path.Combine(fixture.Work, "held-checkpoints.jsonl");
        var written = await File.ReadAllTextAsync(Path.Combine(fixture.CheckpointDirectory, CheckpointFile.FileName));
        await File.WriteAllTextAsync(held, written[..(written.LastIndexOf('\n') + 1)]); // not a line the processor is appending
        var signed = await CheckpointFile.ReadAsync(held, default);
        var export = Path.Combine(fixture.Work, "before.jsonl");
        Assert.Equal(0, (await OrdersAsync("replay", "--from-seq", "1", "--to-file", export)).Exit);

        (exit, text) = await OrdersAsync("audit", "verify", "--checkpoints", held, "--public-key", fixture.PublicKeyFile, "--json");
        output.WriteLine($"intact: exit {exit}, {signed.Count} checkpoints up to sequence {signed.Max(c => c.Sequence)}");
        Assert.True(exit == 0, text);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("intact").GetBoolean());
        (exit, text) = await AuditorScriptAsync(export, held);
        Assert.True(exit == 0, "the auditor's script disagrees with the C# hashes or checkpoints:\n" + text);
        await AssertTheDocumentedRecipesAgreeAsync(signed[^1], held);

        var tampered = await RewriteAsync(rewritten.OrderId, 2);

        (exit, text) = await OrdersAsync("audit", "verify");
        output.WriteLine($"rewrote outbox row {tampered}; the chains alone: exit {exit}");
        Assert.True(exit == 0, "the rewrite was meant to leave the chains consistent:\n" + text);

        (exit, text) = await OrdersAsync("audit", "verify", "--checkpoints", held, "--public-key", fixture.PublicKeyFile, "--json");
        output.WriteLine(text);
        Assert.Equal(1, exit);
        var report = JsonDocument.Parse(text).RootElement;
        Assert.False(report.GetProperty("intact").GetBoolean());
        Assert.True(report.GetProperty("chainsIntact").GetBoolean());
        var items = report.GetProperty("checkpoints").GetProperty("items").EnumerateArray()
            .Select(i => (Sequence: i.GetProperty("sequence").GetInt64(), Holds: i.GetProperty("holds").GetBoolean(),
                Failure: i.TryGetProperty("failure", out var f) ? f.GetString() : null))
            .ToList();
        Assert.All(items, i => Assert.Equal(i.Sequence < tampered, i.Holds));
        Assert.All(items.Where(i => !i.Holds), i => Assert.Equal(nameof(CheckpointFailure.DigestMismatch), i.Failure));
        Assert.Contains(items, i => i.Holds);
        Assert.Contains(items, i => !i.Holds);
        var firstFailing = report.GetProperty("checkpoints").GetProperty("items").EnumerateArray().First(i => !i.GetProperty("holds").GetBoolean());
        var suspects = firstFailing.GetProperty("suspects").EnumerateArray().Select(s => s.GetProperty("orderId").GetGuid()).ToList();
        output.WriteLine($"the first failing checkpoint names {suspects.Count} suspect chain(s) written after {firstFailing.GetProperty("suspectsAfter").GetInt64()}");
        Assert.Contains(rewritten.OrderId, suspects);
        Assert.DoesNotContain(early.OrderId, suspects);

        var after = Path.Combine(fixture.Work, "after.jsonl");
        Assert.Equal(0, (await OrdersAsync("replay", "--from-seq", "1", "--to-file", after)).Exit);
        (exit, text) = await OrdersAsync("audit", "verify", "--from-file", after, "--checkpoints", held, "--public-key", fixture.PublicKeyFile, "--json");
        Assert.Equal(1, exit);
        Assert.Equal(items.Select(i => (i.Sequence, i.Holds)), JsonDocument.Parse(text).RootElement.GetProperty("checkpoints").GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("sequence").GetInt64(), i.GetProperty("holds").GetBoolean())));

        (exit, text) = await AuditorScriptAsync(after, held);
        output.WriteLine("the auditor's script: " + text);
        Assert.Equal(1, exit);
        var script = JsonDocument.Parse(text).RootElement;
        Assert.Empty(script.GetProperty("rowProblems").EnumerateArray());
        Assert.Equal(items.Select(i => (i.Sequence, i.Holds)),
            script.GetProperty("checkpoints").EnumerateArray().Select(c => (c.GetProperty("sequence").GetInt64(), c.GetProperty("holds").GetBoolean())));
    }
}

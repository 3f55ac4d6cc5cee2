using System.Text.Json;
using Npgsql;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Audit;

/// <summary>
/// `orders audit ...` as a script runs it: a malformed key, no checkpoints, a write transaction left open. Each ends in
/// its documented exit code with one sentence on standard error, never a stack trace, and `--json` keeps standard output
/// for the JSON alone.
/// </summary>
public sealed class When_the_audit_commands_meet_bad_input(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>, IDisposable
{
    /// <summary>DER of SEQUENCE { INTEGER 0 }: PEM and base64 are fine, the key inside is not one.</summary>
    private const string NotAKey = "MAMCAQA=";

    private readonly string _work = Directory.CreateTempSubdirectory("audit-bad-input-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Exit, string Stdout, string Stderr)> OrdersAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = await OrdersCliProcess.RunSplitAsync(servers, arguments, environment);
        output.WriteLine($"orders {string.Join(' ', arguments.Select(a => a.StartsWith(_work, StringComparison.Ordinal) ? Path.GetFileName(a) : a))}: exit {result.Exit}; " +
            $"stderr: {result.Stderr.Trim()}; stdout: {(result.Stdout.Length > 200 ? result.Stdout[..200] + "…" : result.Stdout.Trim())}");
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
        return result;
    }

    private Task<(int Exit, string Stdout, string Stderr)> OrdersAsync(params string[] arguments) => OrdersAsync(null, arguments);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Should_fail_verification_when_no_checkpoint_is_found()
    {
        var key = CheckpointSigningKey.Generate();
        var publicKey = Write("verify.pem", key.PublicKey.ToPem());
        var empty = Write("empty.jsonl", string.Empty);
        var emptyDirectory = Directory.CreateDirectory(Path.Combine(_work, "no-checkpoints")).FullName;

        foreach (var checkpoints in new[] { empty, emptyDirectory })
        {
            var (exit, stdout, _) = await OrdersAsync("audit", "verify", "--checkpoints", checkpoints, "--public-key", publicKey, "--json");
            Assert.Equal(1, exit);
            var report = JsonDocument.Parse(stdout).RootElement;
            Assert.False(report.GetProperty("intact").GetBoolean());
            Assert.False(report.GetProperty("checkpoints").GetProperty("intact").GetBoolean());
            Assert.Contains("no checkpoint found", report.GetProperty("checkpoints").GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        var (tableExit, table, _) = await OrdersAsync("audit", "verify", "--checkpoints", empty, "--public-key", publicKey);
        Assert.Equal(1, tableExit);
        Assert.Contains("no checkpoint found", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_answer_a_malformed_key_with_exit_2_naming_the_option_on_standard_error()
    {
        var checkpoints = Write("checkpoints.jsonl", string.Empty);
        var badPublic = Write("bad-verify.pem", $"-----BEGIN PUBLIC KEY-----\n{NotAKey}\n-----END PUBLIC KEY-----\n");
        var badPrivate = Write("bad-signing.pem", $"-----BEGIN PRIVATE KEY-----\n{NotAKey}\n-----END PRIVATE KEY-----\n");

        var (exit, stdout, stderr) = await OrdersAsync("audit", "verify", "--checkpoints", checkpoints, "--public-key", badPublic, "--json");
        Assert.Equal(2, exit);
        Assert.Contains("--public-key", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());

        (exit, stdout, stderr) = await OrdersAsync("audit", "checkpoint", "--key-file", badPrivate, "--to-dir", _work, "--no-exchange");
        Assert.Equal(2, exit);
        Assert.Contains("--key-file", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
    }

    [Fact]
    public async Task Should_put_usage_errors_on_standard_error_and_keep_standard_output_for_json()
    {
        var (exit, stdout, stderr) = await OrdersAsync("audit", "verify", "--batch-size", "0", "--json");
        Assert.Equal(2, exit);
        Assert.Contains("--batch-size", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());

        var keys = Path.Combine(_work, "keys");
        Assert.Equal(0, (await OrdersAsync("audit", "keygen", "--out-dir", keys)).Exit);
        (exit, stdout, stderr) = await OrdersAsync("audit", "keygen", "--out-dir", keys);
        Assert.Equal(2, exit);
        Assert.Contains("already holds a key pair", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
    }

    [Fact]
    public async Task Should_end_a_checkpoint_kept_waiting_by_an_open_write_transaction_with_exit_1_not_a_crash()
    {
        var signing = Write("signing.pem", CheckpointSigningKey.Generate().ToPem());
        await using var dba = new NpgsqlConnection(servers.ConnectionString);
        await dba.OpenAsync();
        await using var open = await dba.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO outbox_messages (message_id, order_id, order_sequence, message_type, body, correlation_id, causation_id, created_at, attempts, hash)
            VALUES (gen_random_uuid(), gen_random_uuid(), 0, 'MarginCheckCompleted', '{}', gen_random_uuid(), gen_random_uuid(), now(), 0, repeat('0', 64))
            """, dba, open))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var (exit, stdout, stderr) = await OrdersAsync(new Dictionary<string, string> { ["Audit__Checkpoints__LockTimeout"] = "00:00:00.300" },
            "audit", "checkpoint", "--key-file", signing, "--to-dir", _work, "--no-exchange", "--wait", "1");
        await open.RollbackAsync();
        Assert.Equal(1, exit);
        Assert.Contains("write transaction stayed open", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
        Assert.False(File.Exists(Path.Combine(_work, CheckpointFile.FileName)));
    }
}

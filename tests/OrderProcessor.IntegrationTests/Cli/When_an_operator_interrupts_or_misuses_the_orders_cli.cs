using System.Diagnostics;
using System.Globalization;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Cli;

/// <summary>
/// Exit codes and streams as README's "Exit codes" says, where no processor answers: Ctrl+C during a <c>--wait</c> is
/// 130 (interrupted), not 5 (timed out); a refused command writes its error to standard error and nothing to standard
/// output, so a script reading the output (<c>--json</c>) never parses an error as data.
/// </summary>
public sealed class When_an_operator_interrupts_or_misuses_the_orders_cli(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    [Theory]
    [InlineData("place", "--user", "alice", "--account", "DU1234567", "--conid", "10001", "--side", "BUY", "-q", "1", "--wait", "--timeout", "120")]
    [InlineData("cancel", "6f1d2c4e-0000-4000-8000-000000000130", "--user", "alice", "--wait", "--timeout", "120")]
    public async Task Should_exit_130_when_ctrl_c_ends_a_wait_that_has_not_timed_out(params string[] arguments)
    {
        using var process = OrdersCliProcess.Start(_servers, arguments);
        var stderr = process.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        using (var published = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (await process.StandardOutput.ReadLineAsync(published.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith("published ", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        var rest = process.StandardOutput.ReadToEndAsync();
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var clock = Stopwatch.StartNew();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(exited.Token);
        }
        catch (OperationCanceledException) when (exited.IsCancellationRequested)
        {
            // Say what kept it alive (its threads by name and state) before failing.
            var threads = Directory.EnumerateDirectories($"/proc/{process.Id}/task").Select(task =>
                $"{File.ReadAllText(Path.Combine(task, "comm")).Trim()} {File.ReadLines(Path.Combine(task, "status")).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal))}");
            var alive = string.Join("; ", threads);
            process.Kill(entireProcessTree: true);
            Assert.Fail($"orders {arguments[0]} still running 30 s after SIGINT; its threads: {alive}");
        }

        output.WriteLine($"orders {arguments[0]} --wait --timeout 120, SIGINT once published: exit {process.ExitCode} {clock.Elapsed.TotalSeconds:F1} s after the signal");
        output.WriteLine(string.Join('\n', seen) + await rest + await stderr);

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("interrupted", await stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout must be at least 1 second", "place", "--user", "alice", "--account", "DU1234567", "--conid", "10001", "--side", "BUY", "-q", "1", "--wait", "--timeout", "0")]
    [InlineData("--timeout must be at least 1 second", "cancel", "6f1d2c4e-0000-4000-8000-000000000002", "--user", "alice", "--timeout", "0")]
    [InlineData("name at least one change", "modify", "6f1d2c4e-0000-4000-8000-000000000002", "--user", "alice")]
    [InlineData("give exactly one of --sequence N, --order ID, --all", "outbox", "retry")]
    [InlineData("--show must be at least 1", "outbox", "parked", "--show", "0")]
    [InlineData("--orders must be at least 21", "demo", "--orders", "3")]
    [InlineData("is not known to the processor", "show", "6f1d2c4e-0000-4000-8000-000000000404")]
    public async Task Should_write_a_refused_commands_error_to_standard_error_only(string message, params string[] arguments)
    {
        var (exit, stdout, stderr) = await OrdersCliProcess.RunSplitAsync(_servers, arguments);
        output.WriteLine($"orders {string.Join(' ', arguments)}: exit {exit}, {stdout.Length} characters on standard output, standard error: {stderr.Trim()}");

        Assert.Equal(arguments[0] == "show" ? 4 : 2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}

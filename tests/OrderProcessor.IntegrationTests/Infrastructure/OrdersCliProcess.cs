using System.Diagnostics;
using System.Globalization;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Runs `orders` as an operator does: a separate process configured by environment variables for these servers.</summary>
public static class OrdersCliProcess
{
    public static async Task<(int Exit, string Output)> RunAsync(IsolatedServers servers, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? overrides = null, TimeSpan? timeout = null)
    {
        var (exit, stdout, stderr) = await RunSplitAsync(servers, arguments, overrides, timeout);
        return (exit, stdout + stderr);
    }

    /// <summary>As <see cref="RunAsync"/>, standard output (the data, with --json) apart from standard error (messages).</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunSplitAsync(IsolatedServers servers, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? overrides = null, TimeSpan? timeout = null)
    {
        using var process = Start(servers, arguments, overrides);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orders {string.Join(' ', arguments)} did not finish in time:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts `orders` with its output redirected, for commands that run until stopped (watch); the caller kills it.</summary>
    /// <remarks>
    /// Started as from a terminal, with SIGINT's default handling: a test run launched in the background by a
    /// non-interactive shell has SIGINT ignored, every child inherits that, and the runtime honours it (a CLI started so
    /// rightly ignores Ctrl+C, as any background job does). <c>env --default-signal</c> (coreutils 8.31+) restores it.
    /// </remarks>
    public static Process Start(IsolatedServers servers, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "orders.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RabbitMq__Host"] = servers.Servers.RabbitHost;
        start.Environment["RabbitMq__Port"] = servers.Servers.RabbitPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["RabbitMq__VirtualHost"] = servers.VirtualHost;
        start.Environment["RabbitMq__Username"] = servers.Servers.RabbitUsername;
        start.Environment["RabbitMq__Password"] = servers.Servers.RabbitPassword;
        start.Environment["ConnectionStrings__OrderProcessor"] = servers.ConnectionString;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }
}

using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Runs the Wolverine peer (<c>../shared/peers/wolverine-peer/run.sh</c>: the same PlaceOrder → saga → broker call →
/// OrderSubmitted flow built with Wolverine) as a child process on the same RabbitMQ and PostgreSQL server, with the same
/// burst size and warm-up, and reads the one line it ends with, <c>RESULT {json}</c>. The peer finds the servers through
/// the environment the benchmark runs in (<c>RabbitMq__*</c>, <c>ConnectionStrings__OrderProcessor</c>) and uses a
/// database of its own on that server.
/// </summary>
public static class WolverinePeerRun
{
    private const string ResultPrefix = "RESULT ";

    /// <summary>The peer's script in <paramref name="directory"/>, or null when the folder or its script is absent.</summary>
    public static string? ScriptIn(string? directory) =>
        directory is { Length: > 0 } && File.Exists(Path.Combine(directory, "run.sh")) ? Path.GetFullPath(Path.Combine(directory, "run.sh")) : null;

    public static async Task<PeerResult> RunAsync(string script, int orders, TimeSpan warmup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     script, "--n", orders.ToString(CultureInfo.InvariantCulture),
                     "--warmup", ((int)warmup.TotalSeconds).ToString(CultureInfo.InvariantCulture), "--scenarios", "peer,bare",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        string? resultLine = null;
        var errors = new List<string>();
        var readOut = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
            {
                if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
                {
                    resultLine = line[ResultPrefix.Length..];
                }
                else
                {
                    // The peer's own progress (warm-up, rehearsals, phases), shown as it comes: the run takes minutes.
                    AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]");
                }
            }
        }, CancellationToken.None);
        var readErrors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (errors)
                {
                    errors.Add(line);
                }
            }
        }, CancellationToken.None);

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return PeerResult.Failed($"the peer did not finish within {timeout.TotalMinutes:F0} min and was stopped");
        }

        await Task.WhenAll(readOut, readErrors);
        if (resultLine is null)
        {
            var tail = string.Join(" / ", errors.TakeLast(5));
            return PeerResult.Failed($"the peer exited with code {process.ExitCode} without a RESULT line{(tail.Length > 0 ? ": " + tail : string.Empty)}");
        }

        return PeerResult.Parse(resultLine);
    }
}

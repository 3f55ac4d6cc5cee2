using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The deployable processor (OrderProcessor.Host) as a child process, configured for the isolated servers and a
/// simulator listening on loopback: crash tests kill it with SIGKILL, as a machine failure or an OOM kill would.
/// </summary>
public sealed partial class ProcessorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>The last lines the process wrote, for a failing test's report.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the process serves HTTP (health, <c>/metrics</c>): the port it picked, read from its start-up log.</summary>
    public Uri? BaseAddress { get; private set; }

    private ProcessorProcess(Process process) => _process = process;

    public static async Task<ProcessorProcess> StartAsync(IsolatedServers servers, SimulatorUnderTest simulator, IDictionary<string, string?> settings)
    {
        var host = HostAssembly();
        var start = new ProcessStartInfo("dotnet", $"\"{host}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string?>(SimulatorUnderTest.ProcessorSettings())
        {
            ["Brokerage:PiTrade:BaseUrl"] = simulator.BaseAddress!.ToString(),
            ["Brokerage:Ibkr:BaseUrl"] = new Uri(simulator.BaseAddress, "v1/api/").ToString(),
            ["ConnectionStrings:OrderProcessor"] = servers.ConnectionString,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in servers.RabbitMqSettings().Concat(settings))
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the processor");
        var processor = new ProcessorProcess(process);
        process.OutputDataReceived += (_, line) =>
        {
            processor.Keep(line.Data);
            if (line.Data is not null && ListeningOn().Match(line.Data) is { Success: true } listening)
            {
                processor.BaseAddress = new Uri(listening.Groups[1].Value);
            }

            if (line.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                processor._started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) => processor.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await processor._started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return processor;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>Stalls the process (SIGSTOP): it keeps its sockets and its state, and does nothing until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a stalled process go on (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    /// <summary>
    /// SIGTERM, as a deployment stops a container, and waits for the process to exit; returns how long it took. The
    /// process's exit code must be 0 (a clean stop).
    /// </summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Signal("TERM");
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the processor exited {_process.ExitCode} after SIGTERM:\n{string.Join('\n', _output.TakeLast(40))}");
        }

        return clock.Elapsed;
    }

    /// <summary>Sends SIGTERM without waiting (a clean stop starts; a second one ends the process at once).</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    /// <summary>The sum of a counter (or a histogram's <c>_count</c>) in the process's Prometheus text, over series whose labels contain every one given.</summary>
    public async Task<double> ReadMetricAsync(string name, params string[] labels)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress ?? throw new InvalidOperationException("the processor's address is not known"), Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync("metrics");
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length > name.Length && line[name.Length] is '{' or ' ') &&
                labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                total += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>SIGKILL: no shutdown, no flushing, no acknowledgements.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string HostAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot.Path, "src", "OrderProcessor.Host", "bin", configuration, "net10.0", "OrderProcessor.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the solution first: {path} is missing", path);
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    private void Signal(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {_process.Id}");
        kill.WaitForExit();
    }
}

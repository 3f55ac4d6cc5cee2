using System.Diagnostics;
using System.Globalization;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The deployable processor (OrderProcessor.Host) as a child process, configured for the isolated servers and a
/// simulator listening on loopback: crash tests kill it with SIGKILL, as a machine failure or an OOM kill would.
/// </summary>
public sealed class ProcessorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>The last lines the process wrote, for a failing test's report.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public int ProcessId => _process.Id;

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
            ["RabbitMq:Host"] = servers.Servers.RabbitHost,
            ["RabbitMq:Port"] = servers.Servers.RabbitPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = servers.VirtualHost,
            ["RabbitMq:Username"] = servers.Servers.RabbitUsername,
            ["RabbitMq:Password"] = servers.Servers.RabbitPassword,
            ["ConnectionStrings:OrderProcessor"] = servers.ConnectionString,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings)
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

    /// <summary>SIGKILL: no shutdown, no flushing, no acknowledgements.</summary>
    /// <summary>Stalls the process (SIGSTOP): it keeps its sockets and its state, and does nothing until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a stalled process go on (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

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

    private void Signal(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {_process.Id}");
        kill.WaitForExit();
    }
}

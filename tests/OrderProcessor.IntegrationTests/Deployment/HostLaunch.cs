using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Deployment;

/// <summary>
/// The built OrderProcessor.Host run as a deployment runs it: a child process whose environment holds exactly the
/// settings given, nothing inherited that the host reads (the test run's own RabbitMq__*, ConnectionStrings__*,
/// ASPNETCORE_* and secrets directory are removed), so a test sees what the host does with only those.
/// </summary>
internal sealed class HostLaunch : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;

    private HostLaunch(Process process) => _process = process;

    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the host with these environment variables (<c>:</c> in a key is written <c>__</c>) and arguments.</summary>
    public static HostLaunch Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var host = HostAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(host)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(Inherited).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        var launch = new HostLaunch(process);
        process.OutputDataReceived += (_, line) => launch.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => launch.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return launch;
    }

    /// <summary>A TCP port on loopback that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the host did not exit within {timeout}; it wrote:\n{string.Join('\n', _output)}");
        }

        // The asynchronous readers may still hold the last lines.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 (or the process ends); returns how long it took.</summary>
    public async Task<TimeSpan> WaitUntilAnswersAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited {_process.ExitCode} before {url} answered:\n{string.Join('\n', _output)}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{url} did not answer 200 within {timeout}; the host wrote:\n{string.Join('\n', _output)}");
    }

    /// <summary>Runs the host's image probe (<c>--health-probe</c>) as Docker's HEALTHCHECK does; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> ProbeAsync(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        await using var probe = Start(environment, ["--health-probe", .. arguments]);
        var exitCode = await probe.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, string.Join('\n', probe.Output));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static bool Inherited(string key) =>
        key.Contains("__", StringComparison.Ordinal) ||
        key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("URLS", StringComparison.OrdinalIgnoreCase) ||
        key.Equals("ORDERPROCESSOR_SECRETS_DIR", StringComparison.Ordinal);

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static string HostAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot.Path, "src", "OrderProcessor.Host", "bin", configuration, "net10.0", "OrderProcessor.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the solution first: {path} is missing", path);
    }
}

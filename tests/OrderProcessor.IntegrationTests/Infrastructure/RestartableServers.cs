using System.Diagnostics;
using System.Globalization;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A RabbitMQ node and a PostgreSQL server of one test class alone, started by <c>scripts/services.sh</c> (Debian's
/// packages) on ports of their own, so the test can really stop and restart them while the servers the other test
/// classes share keep running. Stopped when disposed.
/// </summary>
public sealed class RestartableServers : IAsyncDisposable
{
    private const int AmqpPort = 5674;
    private const int ManagementPort = 15674;
    // Below Linux's ephemeral range (32768-60999), so a restart never finds the port taken by an outgoing connection.
    private const int PostgresPort = 25430;
    private static readonly string StateDirectory = Path.Combine(Path.GetTempPath(), "orderprocessor-restartable-servers");

    private RestartableServers()
    {
    }

    public ServerEndpoints Endpoints { get; } = new("127.0.0.1", AmqpPort, ManagementPort, "guest", "guest",
        $"Host=127.0.0.1;Port={PostgresPort};Username=orderprocessor;Password=orderprocessor;Database=orderprocessor",
        "restartable servers (scripts/services.sh)");

    public static async Task<RestartableServers> StartAsync()
    {
        var servers = new RestartableServers();
        await RunAsync("start");
        return servers;
    }

    /// <summary>Stops the server (rabbitmq or postgres) and starts it again on the same data; returns how long it was down.</summary>
    public async Task<TimeSpan> RestartAsync(string service)
    {
        var stopped = Stopwatch.StartNew();
        await RunAsync("stop", service);
        await RunAsync("start", service);
        return stopped.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop");
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next run, which reuses or replaces it.
        }
    }

    private static async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "services.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Always Debian's servers: a container's restart could come back on another mapped port.
        start.Environment["ORDERPROCESSOR_NO_DOCKER"] = "1";
        start.Environment["ORDERPROCESSOR_SERVICES_DIR"] = StateDirectory;
        start.Environment["ORDERPROCESSOR_RABBITMQ_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPROCESSOR_RABBITMQ_MANAGEMENT_PORT"] = ManagementPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPROCESSOR_RABBITMQ_DIST_PORT"] = "25674";
        start.Environment["ORDERPROCESSOR_RABBITMQ_NODE"] = "orderprocessor-restartable@localhost";
        start.Environment["ORDERPROCESSOR_POSTGRES_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/services.sh {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await errors}");
        }
    }
}

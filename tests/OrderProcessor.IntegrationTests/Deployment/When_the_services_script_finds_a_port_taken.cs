using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Deployment;

/// <summary>
/// scripts/services.sh never takes whatever answers on its port for the server it started: a port held by another
/// process (here this test's own listener) is refused with a message naming the holder, and nothing is started.
/// </summary>
public sealed class When_the_services_script_finds_a_port_taken(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_refuse_to_start_postgresql_on_a_port_another_process_holds()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("orderprocessor-services-");
        var environment = new Dictionary<string, string>
        {
            ["ORDERPROCESSOR_SERVICES_DIR"] = directory.FullName,
            ["ORDERPROCESSOR_POSTGRES_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ORDERPROCESSOR_NO_DOCKER"] = "1",
        };
        try
        {
            var (exitCode, text) = await RunAsync(environment, "start", "postgres");
            output.WriteLine($"services.sh start postgres on 127.0.0.1:{port} held by this test (pid {Environment.ProcessId}): exit {exitCode}\n{text}");

            Assert.Equal(1, exitCode);
            Assert.Contains($"port {port} is held by pid {Environment.ProcessId}", text, StringComparison.Ordinal);
            Assert.Contains("ORDERPROCESSOR_POSTGRES_PORT", text, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory.FullName, "postgres", "data", "PG_VERSION")), "a server was initialised anyway");
        }
        finally
        {
            // Should the script have started a server after all, it stops what it started there.
            await RunAsync(environment, "stop", "postgres");
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot.Path, "scripts", "services.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}

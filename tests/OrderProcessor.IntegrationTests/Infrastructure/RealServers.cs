using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Finds the real servers once per test run: the ones named by the environment (as <c>scripts/services.sh env</c>
/// prints them), else the ones <c>scripts/services.sh start</c> runs on its default ports, else containers when a
/// Docker engine answers. Without any of them the tests fail with instructions; they are never skipped.
/// </summary>
public static class RealServers
{
    private static readonly Lazy<Task<ServerEndpoints>> Endpoints = new(DiscoverAsync);

    public static Task<ServerEndpoints> GetAsync() => Endpoints.Value;

    private static async Task<ServerEndpoints> DiscoverAsync()
    {
        var host = Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1";
        var port = int.Parse(Environment.GetEnvironmentVariable("RabbitMq__Port") ?? "5673", System.Globalization.CultureInfo.InvariantCulture);
        var management = int.Parse(Environment.GetEnvironmentVariable("RabbitMq__ManagementPort") ?? "15673", System.Globalization.CultureInfo.InvariantCulture);
        var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__OrderProcessor")
            ?? "Host=127.0.0.1;Port=54329;Username=orderprocessor;Password=orderprocessor;Database=orderprocessor";
        var postgresBuilder = new NpgsqlConnectionStringBuilder(postgres);

        if (await AnswersAsync(host, port) && await AnswersAsync(host, management) &&
            await AnswersAsync(postgresBuilder.Host!, postgresBuilder.Port))
        {
            return new ServerEndpoints(host, port, management,
                Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "guest",
                Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "guest",
                postgres, "local servers (scripts/services.sh)");
        }

        if (await DockerAnswersAsync())
        {
            return await StartContainersAsync();
        }

        throw new InvalidOperationException(
            $"Integration tests need a real RabbitMQ (AMQP {host}:{port}, management :{management}) and PostgreSQL " +
            $"({postgresBuilder.Host}:{postgresBuilder.Port}). Run `scripts/services.sh start` (or the README's test " +
            "command, which does it), or start a Docker engine for Testcontainers.");
    }

    private static async Task<ServerEndpoints> StartContainersAsync()
    {
        var rabbit = new RabbitMqBuilder("rabbitmq:3.13-management").WithUsername("guest").WithPassword("guest").Build();
        var postgres = new PostgreSqlBuilder("postgres:16").WithUsername("orderprocessor").WithPassword("orderprocessor").Build();
        await Task.WhenAll(rabbit.StartAsync(), postgres.StartAsync());
        return new ServerEndpoints(rabbit.Hostname, rabbit.GetMappedPublicPort(5672), rabbit.GetMappedPublicPort(15672),
            "guest", "guest", postgres.GetConnectionString(), "Testcontainers");
    }

    private static async Task<bool> AnswersAsync(string host, int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(host, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        if (Environment.GetEnvironmentVariable("ORDERPROCESSOR_NO_DOCKER") == "1")
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false;
        }
    }
}

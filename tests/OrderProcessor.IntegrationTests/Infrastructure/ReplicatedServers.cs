using System.Diagnostics;
using System.Globalization;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A 3-node RabbitMQ cluster or a PostgreSQL primary with its synchronous standby, of one test class alone, started by
/// <c>scripts/services.sh</c> (Debian's packages) in a state directory and on ports of their own, so the test can kill
/// a node or the primary while the servers the other test classes share keep running. The other server of the pair
/// is the shared one. Stopped when disposed.
/// </summary>
public sealed class ReplicatedServers : IAsyncDisposable
{
    // Below Linux's ephemeral range (32768-60999): a server started mid-run on a port in that range can find it taken
    // by one of the run's own outgoing connections (a CI run's standby did, on 54342).
    private const int FirstClusterPort = 5691;
    private const int PrimaryPort = 25441;
    private const int StandbyPort = 25442;

    private readonly string _service;
    private readonly string _stateDirectory;

    private ReplicatedServers(string service, ServerEndpoints endpoints)
    {
        _service = service;
        _stateDirectory = Path.Combine(Path.GetTempPath(), $"orderprocessor-{service}-test");
        Endpoints = endpoints;
    }

    public ServerEndpoints Endpoints { get; }

    /// <summary>The AMQP port of the cluster's node <paramref name="node"/> (1 to 3).</summary>
    public static int NodePort(int node) => FirstClusterPort + node - 1;

    /// <summary>A 3-node cluster (nodes listed in order, node 1 first) with the shared PostgreSQL.</summary>
    public static async Task<ReplicatedServers> StartRabbitMqClusterAsync()
    {
        var shared = await RealServers.GetAsync();
        var servers = new ReplicatedServers("rabbitmq-cluster", shared with
        {
            RabbitHost = "127.0.0.1",
            RabbitPort = NodePort(1),
            RabbitManagementPort = NodePort(1) + 10000,
            RabbitUsername = "guest",
            RabbitPassword = "guest",
            RabbitNodes = string.Join(',', Enumerable.Range(1, 3).Select(n => $"127.0.0.1:{NodePort(n)}")),
            Source = "3-node RabbitMQ cluster (scripts/services.sh) and the shared PostgreSQL",
        });
        await servers.StartAfreshAsync();
        return servers;
    }

    /// <summary>A primary and its synchronous standby, both in the connection string (the primary is the one that takes writes), with the shared RabbitMQ.</summary>
    public static async Task<ReplicatedServers> StartPostgresPairAsync()
    {
        var shared = await RealServers.GetAsync();
        var servers = new ReplicatedServers("postgres-replicated", shared with
        {
            PostgresConnectionString = $"Host=127.0.0.1:{PrimaryPort},127.0.0.1:{StandbyPort};Target Session Attributes=primary;" +
                "Host Recheck Seconds=1;Username=orderprocessor;Password=orderprocessor;Database=orderprocessor",
            Source = "PostgreSQL primary and synchronous standby (scripts/services.sh) and the shared RabbitMQ",
        });
        await servers.StartAfreshAsync();
        return servers;
    }

    /// <summary>SIGKILL to the cluster's node <paramref name="node"/>, as a machine that dies.</summary>
    public Task KillRabbitMqNodeAsync(int node) => RunAsync("kill", "rabbitmq-node", node.ToString(CultureInfo.InvariantCulture));

    /// <summary>Starts the node again on its data; it rejoins the cluster. Returns how long that took.</summary>
    public async Task<TimeSpan> StartRabbitMqNodeAsync(int node)
    {
        var clock = Stopwatch.StartNew();
        await RunAsync("start", "rabbitmq-node", node.ToString(CultureInfo.InvariantCulture));
        return clock.Elapsed;
    }

    /// <summary>SIGKILL to the primary's postmaster and backends: its clients' connections die mid-transaction.</summary>
    public Task KillPostgresPrimaryAsync() => RunAsync("kill", "postgres-primary");

    /// <summary>Makes the standby the primary (what an operator or a failover manager such as Patroni does).</summary>
    public Task PromotePostgresStandbyAsync() => RunAsync("promote", "postgres-standby");

    public async ValueTask DisposeAsync()
    {
        await RunAsync("stop", _service);
        DeleteState();
    }

    /// <summary>
    /// What an earlier run left (a failed-over pair, a cluster's data) is stopped and removed first; a start that fails
    /// half-way (the primary up, the standby not) stops what it started, so no server outlives the test.
    /// </summary>
    private async Task StartAfreshAsync()
    {
        if (Directory.Exists(_stateDirectory))
        {
            await RunAsync("stop", _service);
            DeleteState();
        }

        try
        {
            await RunAsync("start", _service);
        }
        catch
        {
            await RunAsync("stop", _service);
            DeleteState();
            throw;
        }
    }

    private void DeleteState()
    {
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next run, which removes it before it starts.
        }
    }

    private async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "scripts", "services.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Always Debian's servers, on ports of their own: containers would come back on other mapped ports.
        start.Environment["ORDERPROCESSOR_NO_DOCKER"] = "1";
        start.Environment["ORDERPROCESSOR_SERVICES_DIR"] = _stateDirectory;
        start.Environment["ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT"] = FirstClusterPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPROCESSOR_RABBITMQ_CLUSTER_NAME"] = "orderprocessor-test-cluster";
        start.Environment["ORDERPROCESSOR_POSTGRES_PRIMARY_PORT"] = PrimaryPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["ORDERPROCESSOR_POSTGRES_STANDBY_PORT"] = StandbyPort.ToString(CultureInfo.InvariantCulture);

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

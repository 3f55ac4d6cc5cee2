using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A test class's own RabbitMQ virtual host and PostgreSQL database, migrated, and removed afterwards: test classes run
/// in parallel without seeing each other's messages or rows.
/// </summary>
public sealed class IsolatedServers : IAsyncLifetime
{
    private readonly string _name = "op_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<string> _users = [];
    private HttpClient? _management;

    public ServerEndpoints Servers { get; private set; } = null!;

    public string VirtualHost => _name;

    /// <summary>A plain AMQP connection to this test's virtual host, as a client without MassTransit would open it.</summary>
    public RabbitMQ.Client.ConnectionFactory RawConnectionFactory() => new()
    {
        HostName = Servers.RabbitHost,
        Port = Servers.RabbitPort,
        VirtualHost = VirtualHost,
        UserName = Servers.RabbitUsername,
        Password = Servers.RabbitPassword,
    };

    public string ConnectionString { get; private set; } = string.Empty;

    private string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(Servers.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    public Task InitializeAsync() => InitializeAsync(RealServers.GetAsync());

    /// <summary>Creates the virtual host and database on the given servers instead of the shared ones.</summary>
    public async Task InitializeAsync(Task<ServerEndpoints> servers)
    {
        Servers = await servers;
        _management = new HttpClient { BaseAddress = new Uri($"http://{Servers.RabbitHost}:{Servers.RabbitManagementPort}/api/") };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Servers.RabbitUsername}:{Servers.RabbitPassword}")));
        (await _management.PutAsync($"vhosts/{_name}", null)).EnsureSuccessStatusCode();
        (await _management.PutAsJsonAsync($"permissions/{_name}/{Servers.RabbitUsername}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();

        ConnectionString = await CreateDatabaseAsync(_name);
        await DatabaseMigrator.MigrateAsync(new TestDbContextFactory(ConnectionString), CancellationToken.None);

        // The processor enforces upstream authorization outside Development (tests run as Production): the tests'
        // own RabbitMQ user is the trusted upstream of every user and account. Tests of the mapping use another user.
        await using var db = CreateDbContext();
        db.UpstreamGrants.Add(new UpstreamGrant { Upstream = Servers.RabbitUsername, UserPattern = "*", AccountPattern = "*", GrantedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Creates a RabbitMQ user with rights on this virtual host only (an upstream other than the tests' own), removed
    /// with the virtual host's other state when the class ends.
    /// </summary>
    public async Task CreateRabbitUserAsync(string username, string password)
    {
        var management = _management ?? throw new InvalidOperationException("the servers are not initialised");
        (await management.PutAsJsonAsync($"users/{username}", new { password, tags = string.Empty })).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"permissions/{_name}/{username}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        _users.Add(username);
    }

    /// <summary>
    /// What the tests' RabbitMQ user may write to in this virtual host: a regular expression over exchange names
    /// (<c>.*</c> is everything, as at the start). RabbitMQ caches a channel's permission checks, so a refusal applies to
    /// exchanges a channel has not written to yet.
    /// </summary>
    public async Task SetWritePermissionAsync(string writePattern)
    {
        var management = _management ?? throw new InvalidOperationException("the servers are not initialised");
        (await management.PutAsJsonAsync($"permissions/{_name}/{Servers.RabbitUsername}",
            new { configure = ".*", write = writePattern, read = ".*" })).EnsureSuccessStatusCode();
    }

    /// <summary>How an application of this test reaches the broker: the processor's own settings type, so a test's bus
    /// connects (to one node or the cluster) and declares its queues (quorum by default) exactly as the processor does.</summary>
    public RabbitMqOptions RabbitMq => new()
    {
        Host = Servers.RabbitHost,
        Port = Servers.RabbitPort,
        Nodes = Servers.RabbitNodes,
        VirtualHost = VirtualHost,
        Username = Servers.RabbitUsername,
        Password = Servers.RabbitPassword,
    };

    /// <summary>The same as configuration entries (RabbitMq:Host...), for a processor or CLI under test.</summary>
    public Dictionary<string, string?> RabbitMqSettings() => new()
    {
        ["RabbitMq:Host"] = Servers.RabbitHost,
        ["RabbitMq:Port"] = Servers.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:Nodes"] = Servers.RabbitNodes,
        ["RabbitMq:VirtualHost"] = VirtualHost,
        ["RabbitMq:Username"] = Servers.RabbitUsername,
        ["RabbitMq:Password"] = Servers.RabbitPassword,
    };

    public OrderProcessorDbContext CreateDbContext() => new TestDbContextFactory(ConnectionString).CreateDbContext();

    /// <summary>A factory of contexts on this database, for the service's classes that take one.</summary>
    public IDbContextFactory<OrderProcessorDbContext> DbContextFactory => new TestDbContextFactory(ConnectionString);

    /// <summary>A second database on the same server with no schema at all (dropped with this one); its connection string.</summary>
    public Task<string> CreateEmptyDatabaseAsync() => CreateDatabaseAsync(_name + "_empty");

    private async Task<string> CreateDatabaseAsync(string database)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Servers.PostgresConnectionString) { Database = database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            foreach (var database in new[] { _name, _name + "_empty" })
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }

        if (_management is not null)
        {
            await _management.DeleteAsync($"vhosts/{_name}");
            foreach (var user in _users)
            {
                await _management.DeleteAsync($"users/{user}");
            }

            _management.Dispose();
        }
    }

    private sealed class TestDbContextFactory(string connectionString) : IDbContextFactory<OrderProcessorDbContext>
    {
        public OrderProcessorDbContext CreateDbContext() => new(new DbContextOptionsBuilder<OrderProcessorDbContext>()
            .UseOrderProcessorDatabase(connectionString)
            .Options);
    }
}

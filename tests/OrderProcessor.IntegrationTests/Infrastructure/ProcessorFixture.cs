using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>A test class's isolated servers, the processor running on them, and a downstream system beside it.</summary>
public class ProcessorFixture : IAsyncLifetime
{
    public IsolatedServers Servers { get; } = new();

    public SimulatorUnderTest Simulator { get; private set; } = null!;

    public ProcessorUnderTest Processor { get; private set; } = null!;

    public DownstreamSubscriber Downstream { get; private set; } = null!;

    /// <summary>The credentials the processor used and everything it logged, checked for leaks when the fixture ends.</summary>
    public SecretWatch Secrets { get; } = new(SimulatorUnderTest.ApiKey);

    public virtual async Task InitializeAsync()
    {
        await Servers.InitializeAsync(FindServersAsync());
        Simulator = new SimulatorUnderTest(SimulatorSettings);
        Downstream = await DownstreamSubscriber.StartAsync(Servers);
        Processor = await ProcessorUnderTest.StartAsync(Servers, Simulator, ProcessorSettings, Secrets, Network, Streaming);
    }

    /// <summary>The RabbitMQ and PostgreSQL this fixture's virtual host and database are made on (the shared ones by default).</summary>
    protected virtual Task<ServerEndpoints> FindServersAsync() => RealServers.GetAsync();

    /// <summary>Wraps the processor's way to the simulator, e.g. to play a different egress IP.</summary>
    protected virtual Func<HttpMessageHandler, HttpMessageHandler>? Network => null;

    /// <summary>The guard's websocket reaches the in-process simulator (otherwise users are followed by polling alone).</summary>
    protected virtual bool Streaming => false;

    /// <summary>Settings of the simulator for this fixture's tests.</summary>
    protected virtual Dictionary<string, string?> SimulatorSettings => [];

    /// <summary>Settings of the processor for this fixture's tests, over the defaults.</summary>
    protected virtual Dictionary<string, string?> ProcessorSettings => [];

    /// <summary>Stops the processor (as a deployment or a crash would) and starts a new one on the same servers.</summary>
    public async Task RestartProcessorAsync(Func<Task>? whileStopped = null)
    {
        await Processor.DisposeAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        Processor = await ProcessorUnderTest.StartAsync(Servers, Simulator, ProcessorSettings, Secrets, Network, Streaming);
    }

    public OrderProcessorDbContext Db() => Servers.CreateDbContext();

    /// <summary>Waits until a queue of this virtual host has no ready and no unacknowledged message.</summary>
    public async Task WaitForQueueDrainedAsync(string queue, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Servers.Servers.RabbitHost}:{Servers.Servers.RabbitManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Servers.Servers.RabbitUsername}:{Servers.Servers.RabbitPassword}")));
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var quietSince = (DateTime?)null;
        while (DateTime.UtcNow < deadline)
        {
            var counts = await QueueCountsAsync(http, queue);
            if (counts == 0)
            {
                quietSince ??= DateTime.UtcNow;
                // The management API's counters lag by up to a few hundred ms: require them to stay at zero.
                if (DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(1.5))
                {
                    return;
                }
            }
            else
            {
                quietSince = null;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"queue {queue} still holds messages.");
    }

    /// <summary>
    /// What the processor said about an order that never got a saga row (for a test's failure message): its log lines
    /// that name the order or a fault, and how many messages wait in the error queues of the commands.
    /// </summary>
    public async Task<string> DescribeMissingOrderAsync(Guid orderId)
    {
        var id = orderId.ToString();
        var lines = Secrets.Logs.Where(l => l.Contains(id, StringComparison.OrdinalIgnoreCase)
            || l.Contains("fault", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).TakeLast(40);
        var queues = new List<string>();
        foreach (var queue in new[] { "place-order_error", "place-order_skipped", "place-order" })
        {
            queues.Add($"{queue}: {await MessagesInQueueAsync(queue)}");
        }

        return $"queues {string.Join(", ", queues)}; log lines naming the order or a fault:\n{string.Join('\n', lines)}";
    }

    public async Task<long> MessagesInQueueAsync(string queue)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Servers.Servers.RabbitHost}:{Servers.Servers.RabbitManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Servers.Servers.RabbitUsername}:{Servers.Servers.RabbitPassword}")));
        // Callers poll for a count they expect; counters not reported yet read as none.
        return Math.Max(0, await QueueCountsAsync(http, queue));
    }

    /// <summary>
    /// Waits up to 15 s until <paramref name="queue"/> holds <paramref name="expected"/> messages and still does 1.5 s later
    /// (the management API's counters lag); returns the last count read, which differs from the expected one on timeout.
    /// </summary>
    public async Task<long> WaitForQueueCountAsync(string queue, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long count;
        do
        {
            count = await MessagesInQueueAsync(queue);
            if (count == expected)
            {
                await Task.Delay(1500);
                count = await MessagesInQueueAsync(queue);
                if (count == expected)
                {
                    return count;
                }
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return count;
    }

    /// <summary>Waits until every outbox row is published.</summary>
    public async Task WaitForOutboxPublishedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            await using var db = Db();
            if (!await db.Outbox.AnyAsync(o => o.PublishedAt == null))
            {
                return;
            }

            await Task.Delay(100);
        }

        await using var last = Db();
        var stuck = await last.Outbox.Where(o => o.PublishedAt == null).OrderBy(o => o.Sequence).Take(5)
            .Select(o => $"#{o.Sequence} {o.MessageType} created {o.CreatedAt:HH:mm:ss.fff}, attempts {o.Attempts}, next {o.NextAttemptAt:HH:mm:ss.fff}, error {o.LastError}")
            .ToListAsync();
        throw new TimeoutException($"outbox rows are still unpublished at {DateTime.UtcNow:HH:mm:ss.fff}:\n{string.Join('\n', stuck)}");
    }

    private async Task<long> QueueCountsAsync(HttpClient http, string queue)
    {
        using var response = await http.GetAsync($"queues/{Servers.VirtualHost}/{queue}");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return 0;
        }

        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        // Right after a broker restart the management API lists the queue without its counters for a few seconds: that
        // is "not known yet" (-1), never "empty", or a drain check passes before the subscriber has consumed anything.
        long? Read(string name) => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
        return Read("messages_ready") is { } ready && Read("messages_unacknowledged") is { } unacknowledged ? ready + unacknowledged : -1;
    }

    /// <summary>Where a credential or a JWT shows up in the processor's logs, events, or stored orders.</summary>
    public async Task<IReadOnlyList<string>> FindLeaksAsync()
    {
        await using var db = Db();
        var outbox = await db.Outbox.AsNoTracking().Select(o => new { o.Sequence, o.Body, o.LastError }).ToListAsync();
        var orders = await db.Orders.AsNoTracking().Select(o => new { o.OrderId, o.LastReason, o.BrokerStatus, o.PendingModification }).ToListAsync();
        var texts = Secrets.Logs.Select((line, i) => ($"log line {i}", line))
            .Concat(outbox.Select(o => ($"outbox row {o.Sequence}", o.Body + " " + o.LastError)))
            .Concat(orders.Select(o => ($"order {o.OrderId}", $"{o.LastReason} {o.BrokerStatus} {o.PendingModification}")));
        return Secrets.Leaks(texts);
    }

    public virtual async Task DisposeAsync()
    {
        IReadOnlyList<string> leaks;
        try
        {
            leaks = await FindLeaksAsync();
        }
        finally
        {
            await Processor.DisposeAsync();
            await Downstream.DisposeAsync();
            await Simulator.DisposeAsync();
            await Servers.DisposeAsync();
        }

        Assert.True(leaks.Count == 0, "secrets leaked: " + string.Join("; ", leaks.Take(5)));
    }
}

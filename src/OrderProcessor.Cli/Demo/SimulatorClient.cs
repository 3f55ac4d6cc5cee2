using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// The simulator's test-control API (<c>/__sim</c>), over HTTP: the demo pins and moves prices and reads the simulator's
/// ledger to prove what reached "IBKR". The CLI never references the simulator's code.
/// </summary>
public sealed class SimulatorClient(HttpClient http) : IDisposable
{
    public Uri? BaseAddress => http.BaseAddress;

    public static SimulatorClient Create(Uri baseAddress) => new(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) });

    public async Task<decimal> PriceOfAsync(int conid, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonElement>($"__sim/market/{conid}", cancellationToken)).GetProperty("price").GetDecimal();

    public async Task PinPriceAsync(int conid, decimal price, CancellationToken cancellationToken) =>
        (await http.PutAsJsonAsync($"__sim/market/{conid}", new { price }, cancellationToken)).EnsureSuccessStatusCode();

    /// <summary>Pins the price and the quote around it: a MIDPRICE order fills at the quote's midpoint.</summary>
    public async Task PinQuoteAsync(int conid, decimal price, decimal bid, decimal ask, CancellationToken cancellationToken) =>
        (await http.PutAsJsonAsync($"__sim/market/{conid}", new { price, bid, ask }, cancellationToken)).EnsureSuccessStatusCode();

    public async Task RegisterUserAsync(string userId, string account, CancellationToken cancellationToken) =>
        (await http.PutAsJsonAsync($"__sim/users/{userId}", new { accounts = new[] { account } }, cancellationToken)).EnsureSuccessStatusCode();

    public async Task<IReadOnlyList<LedgerEntry>> LedgerAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<LedgerEntry>>("__sim/ledger", cancellationToken) ?? [];

    /// <summary>Requests the simulator has answered, by endpoint (PiTrade and IBKR alike).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CallsByEndpointAsync(CancellationToken cancellationToken)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>("__sim/stats", cancellationToken);
        return stats.GetProperty("byEndpoint").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateObject().Sum(s => s.Value.GetInt64()));
    }

    /// <summary>Users with a socket subscribed to both <c>sor</c> and <c>str</c> (<c>GET /__sim/stream</c>).</summary>
    public async Task<IReadOnlySet<string>> StreamingUsersAsync(CancellationToken cancellationToken)
    {
        var stream = await http.GetFromJsonAsync<JsonElement>("__sim/stream", cancellationToken);
        return stream.GetProperty("users").EnumerateObject()
            .Where(u => u.Value.GetProperty("ordersSubscribed").GetInt32() > 0 && u.Value.GetProperty("executionsSubscribed").GetInt32() > 0)
            .Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Sockets the simulator has dropped on purpose so far (<c>drop-every</c> and per-user drops).</summary>
    public async Task<long> StreamDropsAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonElement>("__sim/stream", cancellationToken)).GetProperty("drops").GetInt64();

    /// <summary>Drops every user's socket every <paramref name="every"/>; null stops it.</summary>
    public async Task DropStreamsEveryAsync(TimeSpan? every, CancellationToken cancellationToken) =>
        (await http.PostAsJsonAsync("__sim/stream/drop-every",
            new { every = every?.ToString("c", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken)).EnsureSuccessStatusCode();

    /// <summary>Live-order reads (<c>GET …/iserver/account/orders</c>) per user since <paramref name="since"/>, from the per-user request log.</summary>
    public async Task<IReadOnlyDictionary<string, int>> LiveOrderReadsByUserAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var requests = await http.GetFromJsonAsync<List<RequestEntry>>("__sim/requests", cancellationToken) ?? [];
        return requests
            .Where(r => r.At >= since && r.UserId is not null && r.Method == "GET"
                && r.Path.EndsWith("/iserver/account/orders", StringComparison.Ordinal))
            .GroupBy(r => r.UserId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>
    /// IBKR's back-end goes into maintenance for <paramref name="seconds"/> (simulator clock): sessions and sockets end,
    /// init and status say <c>connected:false</c>, other <c>/iserver</c> calls get 503 (<c>PUT /__sim/maintenance</c>).
    /// </summary>
    public async Task StartMaintenanceAsync(double seconds, CancellationToken cancellationToken) =>
        (await http.PutAsJsonAsync("__sim/maintenance", new { seconds }, cancellationToken)).EnsureSuccessStatusCode();

    /// <summary>Ends a maintenance window now (<c>DELETE /__sim/maintenance</c>).</summary>
    public async Task EndMaintenanceAsync(CancellationToken cancellationToken) =>
        (await http.DeleteAsync("__sim/maintenance", cancellationToken)).EnsureSuccessStatusCode();

    public void Dispose() => http.Dispose();

    /// <summary>One request the simulator answered (<c>/__sim/requests</c>).</summary>
    public sealed record RequestEntry(DateTimeOffset At, string Method, string Path, string? UserId, int Status);

    /// <summary>An order the simulator accepted, as its ledger shows it now (the ticket fields IBKR got, and its fills).</summary>
    public sealed record LedgerEntry(
        long OrderId,
        [property: JsonPropertyName("cOID")] string? ClientOrderId,
        string UserId,
        string Status,
        decimal FilledQuantity)
    {
        public string? OrderType { get; init; }

        public string? SecType { get; init; }

        public decimal? AvgPrice { get; init; }

        /// <summary>IBKR's <c>cashQty</c>; null for an order with a size.</summary>
        public decimal? CashQuantity { get; init; }

        /// <summary>Σ quantity × price of the fills, exact.</summary>
        public decimal FilledCashAmount { get; init; }

        public string? Strategy { get; init; }

        public IReadOnlyDictionary<string, string>? StrategyParameters { get; init; }

        public bool? ManualIndicator { get; init; }
    }
}

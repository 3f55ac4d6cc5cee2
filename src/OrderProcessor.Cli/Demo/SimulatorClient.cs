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

    public void Dispose() => http.Dispose();

    /// <summary>An order the simulator accepted, as its ledger shows it now.</summary>
    public sealed record LedgerEntry(
        long OrderId,
        [property: JsonPropertyName("cOID")] string? ClientOrderId,
        string UserId,
        string Status,
        decimal FilledQuantity);
}

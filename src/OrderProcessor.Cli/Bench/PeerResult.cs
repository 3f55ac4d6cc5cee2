using System.Text.Json;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// What the Wolverine peer measured in its own burst (see <see cref="WolverinePeerRun"/>): orders per second from
/// PlaceOrder to OrderSubmitted, its bare Wolverine round trip on the same broker, the latency of its burst, its CPU per
/// order by process (its one process holds both the driver and the Wolverine application) and its commits per order.
/// Error is set, and the figures are absent, when the peer could not run or reported a failure.
/// </summary>
public sealed record PeerResult(
    double? OrdersPerSecond,
    double? BareRoundTripsPerSecond,
    LatencyStats? Latency,
    IReadOnlyDictionary<string, double> CpuMillisecondsPerOrder,
    double? MachineBusyShare,
    double? CommitsPerOrder,
    string? Error)
{
    public static PeerResult Failed(string error) => new(null, null, null, new Dictionary<string, double>(), null, null, error);

    /// <summary>Reads the JSON of the peer's <c>RESULT</c> line; a line that cannot be read is a failed result naming why.</summary>
    public static PeerResult Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            double? Number(JsonElement parent, string name) =>
                parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

            LatencyStats? latency = null;
            if (root.TryGetProperty("peer_latency_ms", out var l) && Number(l, "p50") is { } p50)
            {
                latency = new LatencyStats((int)(Number(root, "n") ?? 0), p50, Number(l, "p95") ?? double.NaN, Number(l, "p99") ?? double.NaN, Number(l, "max") ?? double.NaN);
            }

            var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
            double? busy = null;
            if (root.TryGetProperty("peer_cpu", out var c) && c.ValueKind == JsonValueKind.Object)
            {
                busy = Number(c, "machine_busy_share");
                if (c.TryGetProperty("ms_per_message", out var perMessage) && perMessage.ValueKind == JsonValueKind.Object)
                {
                    foreach (var role in perMessage.EnumerateObject().Where(r => r.Value.ValueKind == JsonValueKind.Number))
                    {
                        cpu[role.Name] = role.Value.GetDouble();
                    }
                }
            }

            var error = root.TryGetProperty("error", out var e) ? e.ToString() : null;
            return new PeerResult(Number(root, "peer_orders_per_s"), Number(root, "bare_roundtrips_per_s"), latency, cpu, busy, Number(root, "commits_per_order"),
                error is { Length: > 0 } ? FirstLine(error) : null);
        }
        catch (JsonException exception)
        {
            return Failed($"the peer's RESULT line is not JSON: {exception.Message}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

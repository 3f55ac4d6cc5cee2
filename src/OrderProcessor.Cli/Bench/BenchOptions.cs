namespace OrderProcessor.Cli.Bench;

/// <summary>
/// What `orders bench` measures. ReadsWindow: how long live-order reads are counted with every socket healthy (zero skips
/// the phase). ChaosOrders: orders in the chaos phase, every socket dropped every ChaosDropEvery (zero skips it), sent
/// evenly over ChaosSpread so several drops fall among orders in flight.
/// </summary>
public sealed record BenchOptions(int Orders, IReadOnlyList<int> Rates, TimeSpan Warmup, TimeSpan RateDuration, int Users, int? ProcessorPid, string ReportDirectory,
    TimeSpan ReadsWindow, int ChaosOrders, TimeSpan ChaosDropEvery, TimeSpan ChaosSpread);

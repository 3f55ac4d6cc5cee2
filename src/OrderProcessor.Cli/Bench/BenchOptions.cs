namespace OrderProcessor.Cli.Bench;

/// <summary>
/// What `orders bench` measures. ReadsWindow: how long live-order reads are counted with every socket healthy (zero skips
/// the phase). ChaosOrders: orders in the chaos phase, every socket dropped every ChaosDropEvery (zero skips it), sent
/// evenly over ChaosSpread so several drops fall among orders in flight. PeerDirectory: the Wolverine peer's folder, run
/// in the same run after the burst when its run.sh is there (null or empty: not run). PreloadOrders: final orders added
/// at the end (PreloadPerUser per user, see <see cref="DayPreload"/>), after which the steady rates are measured again
/// (zero skips it). LiveOrders: resting orders kept live at once while the processor's memory is sampled
/// (<see cref="LiveOrdersPhase"/>; zero skips it).
/// </summary>
public sealed record BenchOptions(int Orders, IReadOnlyList<int> Rates, TimeSpan Warmup, TimeSpan RateDuration, int Users, int? ProcessorPid, string ReportDirectory,
    TimeSpan ReadsWindow, int ChaosOrders, TimeSpan ChaosDropEvery, TimeSpan ChaosSpread, string? PeerDirectory = null,
    int PreloadOrders = 0, int PreloadPerUser = 500, int LiveOrders = 0);

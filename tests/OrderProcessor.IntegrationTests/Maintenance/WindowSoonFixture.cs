using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Maintenance;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// A processor whose region <c>Test</c> has a scheduled window of <see cref="WindowLength"/> starting 30 s after the
/// fixture starts (starting a processor and warming a user up take seconds on a loaded machine), with
/// <see cref="WindowFixture.ScheduledWindow"/>'s settings and a test's own on top (<see cref="MoreSettings"/>).
/// </summary>
public abstract class WindowSoonFixture(TimeSpan windowLength) : ProcessorFixture
{
    private static readonly TimeSpan LeadTime = TimeSpan.FromSeconds(30);

    public TimeSpan WindowLength { get; } = windowLength;

    public DateTimeOffset WindowStart { get; private set; }

    public DateTimeOffset WindowEnd => WindowStart + WindowLength;

    /// <summary>Settings of the test, over the window's (a key in both takes the test's value).</summary>
    protected virtual Dictionary<string, string?> MoreSettings => [];

    protected sealed override Dictionary<string, string?> ProcessorSettings
    {
        get
        {
            var settings = WindowFixture.ScheduledWindow(WindowStart, WindowLength);
            foreach (var (key, value) in MoreSettings)
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        WindowStart = DateTimeOffset.UtcNow + LeadTime;
        await base.InitializeAsync();
    }

    /// <summary>Waits until the window starts; fails if it started before the test got here.</summary>
    public async Task WaitForWindowStartAsync()
    {
        var untilStart = WindowStart - DateTimeOffset.UtcNow;
        Assert.True(untilStart > TimeSpan.Zero, $"the processor took too long to start: the window began {-untilStart.TotalSeconds:0.0} s before the test");
        await Task.Delay(untilStart);
    }

    /// <summary>
    /// IBKR's back-end down in the simulator from now until <paramref name="until"/> on the clock. Given as a point in
    /// time, not a length from whenever this runs: a start made late on a loaded machine must not move IBKR's return.
    /// </summary>
    public MaintenanceReport StartOutageUntil(DateTimeOffset until) => Simulator.Control.StartMaintenance(until - DateTimeOffset.UtcNow);
}

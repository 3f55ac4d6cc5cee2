using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.Engine;

/// <summary>Ticks the engine every MarketTickInterval of the TimeProvider (so a FakeTimeProvider drives it in tests).</summary>
public sealed partial class OrderEngineLoop(OrderEngine engine, IOptions<SimulatorOptions> options, SimulatorClock time, ILogger<OrderEngineLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.AutomaticMarketTicks)
            return;
        using var timer = new PeriodicTimer(options.Value.MarketTickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    engine.Tick();
                }
#pragma warning disable CA1031 // one bad tick must not stop the market
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogTickFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order engine tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}

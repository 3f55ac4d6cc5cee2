using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator;

/// <summary>Registers the simulator's services.</summary>
public static class SimulatorServiceCollectionExtensions
{
    public static IServiceCollection AddSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PartnerJwtValidator>();
        services.AddSingleton<BearerTokenStore>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<UserStateRegistry>();
        services.AddSingleton<TradingAccess>();
        services.AddSingleton<OrderBook>();
        services.AddSingleton<MarketPrices>();
        services.AddSingleton<MarginCalculator>();
        services.AddSingleton<ExtraQuestions>();
        services.AddSingleton<OrderDesk>();
        services.AddSingleton<OrderEngine>();
        services.AddHostedService<OrderEngineLoop>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<SimulatorCounters>();
        services.AddSingleton<SimulatorControl>();
        return services;
    }
}

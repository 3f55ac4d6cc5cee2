using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Egress;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;
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
        // Whatever TimeProvider is registered (tests register a fake one after this), the simulator reads it through
        // a clock the control API can move forward.
        services.AddSingleton(sp => new SimulatorClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BehaviourSettings>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddSingleton<PartnerJwtValidator>();
        services.AddSingleton<BearerTokenStore>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<UserStateRegistry>();
        services.AddSingleton<TradingAccess>();
        services.AddSingleton<OrderBook>();
        services.AddSingleton<MarketPrices>();
        services.AddSingleton<MarginCalculator>();
        services.AddSingleton<ExtraQuestions>();
        services.AddSingleton<GroupAnswers>();
        services.AddSingleton<OrderModifications>();
        services.AddSingleton<OrderDesk>();
        services.AddSingleton<OrderEngine>();
        services.AddSingleton<OrderFates>();
        services.AddSingleton<OrderStreamHub>();
        services.AddSingleton<MaintenanceWindow>();
        services.AddHostedService<OrderEngineLoop>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<EgressIpMeter>();
        services.AddSingleton<SimulatorCounters>();
        services.AddSingleton<SimulatorControl>();
        return services;
    }
}

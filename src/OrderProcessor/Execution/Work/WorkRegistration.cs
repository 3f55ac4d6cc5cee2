using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Work;

/// <summary>Registers every kind of IBKR work the broker worker runs.</summary>
public static class WorkRegistration
{
    public static IServiceCollection AddBrokerWork(this IServiceCollection services)
    {
        services.AddSingleton(provider => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.LifecycleOptions>>().Value.ToSettings());
        services.AddSingleton<WorkResults>();
        services.AddSingleton<IBrokerWork, MarginCheckWork>();
        services.AddSingleton<IBrokerWork, SubmitWork>();
        services.AddSingleton<IBrokerWork, ReconcileWork>();
        services.AddSingleton<IBrokerWork, CancelWork>();
        services.AddSingleton<IBrokerWork, ModifyWork>();
        services.AddSingleton<IBrokerWork, SettleWork>();
        services.AddSingleton<StandaloneMarginCheckWork>();
        services.AddSingleton<IMarginCheckQueue, PostgresMarginCheckQueue>();
        return services;
    }

    /// <summary>Every kind of work the lifecycle can make due, for a check that each has a class.</summary>
    public static IReadOnlyList<OrderWork> Kinds { get; } = [.. Enum.GetValues<OrderWork>().Where(w => w != OrderWork.None)];
}

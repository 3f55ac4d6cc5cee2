using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Streaming;
using OrderProcessor.Execution.Work;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// The processor's registrations: its stream intake wins over the guard's <see cref="NoOrderStreamObserver"/> and is
/// the one instance the REST reads seed and the work results call, and the poller and the worker can be built.
/// </summary>
public sealed class When_the_processor_wires_the_order_streams(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_resolve_one_intake_as_the_guards_observer_and_the_reads_and_sends_hook()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:OrderProcessor"] = "Host=localhost",
                ["Brokerage:PiTrade:BaseUrl"] = "https://localhost:1",
                ["Brokerage:PiTrade:ClientId"] = "client",
                ["Brokerage:PiTrade:ApiKey"] = new string('k', 40),
                ["Brokerage:Ibkr:BaseUrl"] = "https://localhost:1",
            })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = Environments.Production });
        await using var provider = services.AddOrderProcessor(configuration).BuildServiceProvider();

        var observer = provider.GetRequiredService<IOrderStreamObserver>();
        var streamed = provider.GetRequiredService<IStreamedOrders>();
        var intake = provider.GetRequiredService<OrderStreamIntake>();
        var built = new object[]
        {
            provider.GetRequiredService<UserOrdersPoll>(),
            provider.GetRequiredService<WorkResults>(),
            provider.GetRequiredService<ObservationWriter>(),
            provider.GetRequiredService<ReconcileSchedule>(),
        };
        // Built as the host builds them (their other hosted neighbours need a broker): the optional stream parameters filled.
        var hosted = new[] { ActivatorUtilities.CreateInstance<OrderStatusPoller>(provider).GetType().Name, ActivatorUtilities.CreateInstance<BrokerWorker>(provider).GetType().Name };
        output.WriteLine($"observer {observer.GetType().Name}, IStreamedOrders {streamed.GetType().Name}, built {string.Join(", ", built.Select(b => b.GetType().Name))}, hosted {string.Join(", ", hosted)}");

        Assert.Same(intake, observer);
        Assert.Same(intake, streamed);
        Assert.Equal([nameof(OrderStatusPoller), nameof(BrokerWorker)], hosted);
    }
}

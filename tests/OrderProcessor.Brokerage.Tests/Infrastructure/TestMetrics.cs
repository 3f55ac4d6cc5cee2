using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

internal static class TestMetrics
{
    private static readonly IMeterFactory Factory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static BrokerageMetrics Create() => new(Factory);
}

using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

internal sealed class StaticOptionsMonitor(BrokerageOptions value) : IOptionsMonitor<BrokerageOptions>
{
    public BrokerageOptions CurrentValue => value;

    public BrokerageOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<BrokerageOptions, string?> listener) => null;
}

using System.Reflection;
using MassTransit;

namespace OrderProcessor.UnitTests.Packaging;

public sealed class When_the_processor_loads_MassTransit
{
    // MassTransit v9 needs a commercial licence key and refuses to start without one.
    [Fact]
    public void Should_load_no_MassTransit_assembly_of_version_9_or_later()
    {
        _ = typeof(IBus).Assembly;
        _ = typeof(RabbitMqBusFactoryConfiguratorExtensions).Assembly;
        var referenced = typeof(OrderProcessorServiceCollectionExtensions).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("MassTransit", StringComparison.Ordinal));
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName())
            .Where(a => a.Name!.StartsWith("MassTransit", StringComparison.Ordinal));

        var all = referenced.Concat(loaded).ToList();

        Assert.Contains(all, a => a.Name == "MassTransit");
        Assert.Contains(all, a => a.Name == "MassTransit.RabbitMqTransport");
        Assert.All(all, a => Assert.True(a.Version!.Major is >= 8 and < 9, $"{a.Name} {a.Version} is not a MassTransit v8 assembly"));
    }

    [Fact]
    public void Should_pin_every_MassTransit_package_below_version_9_centrally()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "Directory.Packages.props"));
        var pins = System.Text.RegularExpressions.Regex.Matches(props, "Include=\"(MassTransit[^\"]*)\" Version=\"([^\"]+)\"");

        Assert.NotEmpty(pins);
        Assert.All(pins, pin => Assert.Equal("[8.5.12,9.0)", pin.Groups[2].Value));
    }
}

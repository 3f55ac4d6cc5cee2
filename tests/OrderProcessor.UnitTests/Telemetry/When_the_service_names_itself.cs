using System.Reflection;
using Microsoft.Extensions.Configuration;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Telemetry;

/// <summary>service.name and service.version on every metric and span: the standard OTEL variables first, then the assembly.</summary>
public sealed class When_the_service_names_itself(ITestOutputHelper output)
{
    private static ServiceIdentity From(params (string Key, string Value)[] settings) =>
        ServiceIdentity.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Should_use_the_assembly_name_and_informational_version_without_otel_variables()
    {
        var identity = From();
        output.WriteLine($"{identity.Name} {identity.Version}");

        Assert.Equal("OrderProcessor", identity.Name);
        Assert.Equal(typeof(ServiceIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, identity.Version);
    }

    [Fact]
    public void Should_take_the_name_from_otel_service_name_before_the_resource_attributes()
    {
        var identity = From(("OTEL_SERVICE_NAME", "orders-eu"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,service.version=2.4.1"));
        output.WriteLine($"{identity.Name} {identity.Version}");

        Assert.Equal(new ServiceIdentity("orders-eu", "2.4.1"), identity);
    }

    [Fact]
    public void Should_read_name_and_version_from_percent_encoded_resource_attributes()
    {
        var identity = From(("OTEL_RESOURCE_ATTRIBUTES", " deployment.environment=prod , service.name=orders%20eu,service.version=1.0.0%2Babc,broken"));
        output.WriteLine($"{identity.Name} {identity.Version}");

        Assert.Equal(new ServiceIdentity("orders eu", "1.0.0+abc"), identity);
    }

    [Fact]
    public void Should_ignore_blank_variables()
    {
        var identity = From(("OTEL_SERVICE_NAME", "  "), ("OTEL_RESOURCE_ATTRIBUTES", "service.version="));

        Assert.Equal("OrderProcessor", identity.Name);
        Assert.NotEqual(string.Empty, identity.Version);
    }
}

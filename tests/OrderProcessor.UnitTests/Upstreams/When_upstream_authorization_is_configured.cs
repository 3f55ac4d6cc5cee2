using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using OrderProcessor.Upstreams;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Upstreams;

public sealed class When_upstream_authorization_is_configured(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Development", null, UpstreamAuthorizationMode.Open)]
    [InlineData("Production", null, UpstreamAuthorizationMode.Enforced)]
    [InlineData("Staging", null, UpstreamAuthorizationMode.Enforced)]
    [InlineData(null, null, UpstreamAuthorizationMode.Enforced)]
    [InlineData("Development", "Enforced", UpstreamAuthorizationMode.Enforced)]
    [InlineData("Production", "Open", UpstreamAuthorizationMode.Open)]
    public void Should_be_open_by_default_only_in_development(string? environment, string? setting, UpstreamAuthorizationMode expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Upstreams:Authorization"] = setting, ["ConnectionStrings:OrderProcessor"] = "Host=localhost" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        if (environment is not null)
        {
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        }

        using var provider = services.AddOrderProcessor(configuration).BuildServiceProvider();
        var mode = provider.GetRequiredService<UpstreamAuthorization>().Mode;
        output.WriteLine($"environment {environment ?? "(no host)"}, Upstreams:Authorization={setting ?? "unset"}: {mode}");

        Assert.Equal(expected, mode);
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_the_simulator_starts
{
    [Theory]
    [InlineData("Simulator:PartnerApiKey", "too-short", "Simulator:PartnerApiKey")]
    [InlineData("Simulator:PerUserRequestsPerSecond", "0", "Simulator:PerUserRequestsPerSecond")]
    [InlineData("Simulator:SessionIdleTimeout", "00:00:00", "Simulator:SessionIdleTimeout")]
    public void Should_refuse_invalid_settings_naming_the_setting(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddSimulator(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SimulatorOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_bind_explicit_users_and_derive_stable_accounts_for_others()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Simulator:Users:alice:0", "DU1234567"));
        using var _ = factory.CreateClient();
        var users = factory.Services.GetRequiredService<UserDirectory>();

        Assert.Equal(["DU1234567"], users.AccountsOf("alice"));
        Assert.Equal(UserDirectory.DefaultAccountFor("bob"), Assert.Single(users.AccountsOf("bob")!));
        Assert.Matches("^DU[0-9]{7}$", UserDirectory.DefaultAccountFor("bob"));
        Assert.Equal(UserDirectory.DefaultAccountFor("bob"), UserDirectory.DefaultAccountFor("bob"));
        Assert.NotEqual(UserDirectory.DefaultAccountFor("bob"), UserDirectory.DefaultAccountFor("carol"));
        Assert.True(factory.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.AutoProvisionUsers);
    }
}

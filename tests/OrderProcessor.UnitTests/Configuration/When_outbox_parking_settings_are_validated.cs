using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using OrderProcessor.Configuration;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Configuration;

public sealed class When_outbox_parking_settings_are_validated(ITestOutputHelper output)
{
    private static OutboxOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"Outbox:{s.Key}", s.Value)))
            .Build();
        var options = new OutboxOptions();
        configuration.GetSection(OutboxOptions.Section).Bind(options);
        return options;
    }

    private static List<string> Problems(OutboxOptions options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return problems.Select(p => p.ErrorMessage ?? "").ToList();
    }

    [Fact]
    public void Should_default_to_4_mib_bodies_and_20_attempts()
    {
        var options = Bind();

        Assert.Empty(Problems(options));
        Assert.Equal((4 * 1024 * 1024, 20), (options.MaxBodyBytes, options.ParkAfterAttempts));
    }

    [Theory]
    [InlineData("MaxBodyBytes", "1023")]
    [InlineData("MaxBodyBytes", "134217729")]
    [InlineData("ParkAfterAttempts", "0")]
    [InlineData("ParkAfterAttempts", "100001")]
    public void Should_refuse_a_value_out_of_range_naming_the_setting(string key, string value)
    {
        var problems = Problems(Bind((key, value)));

        output.WriteLine($"{key}={value}: {string.Join("; ", problems)}");
        Assert.Contains(problems, p => p.StartsWith($"Outbox:{key} must be between", StringComparison.Ordinal));
    }
}

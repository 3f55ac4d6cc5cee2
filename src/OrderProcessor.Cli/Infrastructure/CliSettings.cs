using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>
/// Where `orders` finds RabbitMQ and PostgreSQL: the same configuration keys and environment variables as the processor
/// (<c>RabbitMq__Host</c>, <c>ConnectionStrings__OrderProcessor</c>...), defaulting to what scripts/services.sh starts.
/// </summary>
public sealed class CliSettings
{
    public required RabbitMqOptions RabbitMq { get; init; }

    public required string ConnectionString { get; init; }

    public static CliSettings Load()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:OrderProcessor"] = "Host=127.0.0.1;Port=54329;Username=orderprocessor;Password=orderprocessor;Database=orderprocessor",
                // The processor has these only in Development; the operator's tool keeps pointing at scripts/services.sh.
                ["RabbitMq:Host"] = "127.0.0.1",
                ["RabbitMq:Port"] = "5673",
                ["RabbitMq:Username"] = "guest",
                ["RabbitMq:Password"] = "guest",
            })
            .AddEnvironmentVariables()
            .Build();
        var rabbit = new RabbitMqOptions();
        configuration.GetSection(RabbitMqOptions.Section).Bind(rabbit);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(rabbit, new ValidationContext(rabbit), problems, validateAllProperties: true))
        {
            throw new CliConfigurationException(string.Join(Environment.NewLine, problems.Select(p => p.ErrorMessage)));
        }

        return new CliSettings
        {
            RabbitMq = rabbit,
            ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName)!,
        };
    }

    public string DatabaseDescription
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public string BrokerDescription => $"RabbitMQ {RabbitMq.Describe()} (vhost {RabbitMq.VirtualHost})";

    public IDbContextFactory<OrderProcessorDbContext> DbContextFactory() => new CliDbContextFactory(ConnectionString);

    private sealed class CliDbContextFactory(string connectionString) : IDbContextFactory<OrderProcessorDbContext>
    {
        public OrderProcessorDbContext CreateDbContext() => new(new DbContextOptionsBuilder<OrderProcessorDbContext>()
            .UseOrderProcessorDatabase(connectionString)
            .Options);
    }
}

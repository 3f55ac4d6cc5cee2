using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderProcessor.Persistence;

namespace OrderProcessor.Migrations;

/// <summary>Lets EF's design-time tools build the model without a running host or a reachable database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrderProcessorDbContext>
{
    public OrderProcessorDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<OrderProcessorDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time", npgsql => npgsql.MigrationsAssembly(OrderProcessorServiceCollectionExtensions.MigrationsAssembly))
            .UseSnakeCaseNamingConvention()
            .Options;
        return new OrderProcessorDbContext(options);
    }
}

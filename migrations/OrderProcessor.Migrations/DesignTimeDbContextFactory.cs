using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderProcessor.Persistence;

namespace OrderProcessor.Migrations;

/// <summary>
/// Lets <c>dotnet ef</c> build the model without a running host: <c>migrations add</c> and <c>migrations script</c> need no
/// database; <c>migrations list</c> and <c>database update</c> use <c>ConnectionStrings__OrderProcessor</c> (as the processor
/// does) or <c>--connection</c>. The options mirror the processor's registration so the model is the one it runs.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrderProcessorDbContext>
{
    /// <summary>Where nothing is configured: a name only, never connected to for <c>add</c> or <c>script</c>.</summary>
    private const string NoDatabase = "Host=127.0.0.1;Database=design_time";

    public OrderProcessorDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__OrderProcessor");
        var options = new DbContextOptionsBuilder<OrderProcessorDbContext>()
            .UseOrderProcessorDatabase(string.IsNullOrWhiteSpace(connectionString) ? NoDatabase : connectionString)
            .Options;
        return new OrderProcessorDbContext(options);
    }
}

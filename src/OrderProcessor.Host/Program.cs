using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOrderProcessor(builder.Configuration);

var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));

if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
{
    var applied = await DatabaseMigrator.MigrateAsync(
        app.Services.GetRequiredService<IDbContextFactory<OrderProcessorDbContext>>(), app.Lifetime.ApplicationStopping);
    app.Logger.LogInformation("Database schema is current ({Applied} migration(s) applied at start)", applied.Count);
}

await app.RunAsync();

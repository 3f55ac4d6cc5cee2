using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderProcessor;
using OrderProcessor.Configuration;
using OrderProcessor.Health;
using OrderProcessor.Host;
using OrderProcessor.ImageHealth;
using OrderProcessor.Persistence;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, "/health/live");
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSecretFiles();
builder.UseDevelopmentListenAddress();
await using var app = await StartupSettings.BuildCheckedAsync(builder, b => b.Services.AddOrderProcessor(b.Configuration));
if (app is null)
{
    return StartupSettings.InvalidExitCode;
}

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains(OrderProcessorServiceCollectionExtensions.ReadyTag),
    ResponseWriter = HealthReportWriter.WriteAsync,
    ResultStatusCodes =
    {
        [HealthStatus.Healthy] = StatusCodes.Status200OK,
        [HealthStatus.Degraded] = StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
    },
});
app.MapPrometheusScrapingEndpoint("/metrics");

var dbFactory = app.Services.GetRequiredService<IDbContextFactory<OrderProcessorDbContext>>();
if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
{
    var applied = await DatabaseMigrator.MigrateAsync(dbFactory, app.Lifetime.ApplicationStopping);
    app.Logger.LogInformation("Database schema is current ({Applied} migration(s) applied at start)", applied.Count);
}
else if (await SchemaCheck.FailureAsync(dbFactory, app.Logger, app.Lifetime.ApplicationStopping) is { } exitCode)
{
    return exitCode;
}

using var secondSignal = new SecondSignalStop();
await app.RunAsync();
return 0;

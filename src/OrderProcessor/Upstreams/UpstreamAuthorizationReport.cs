using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Upstreams;

/// <summary>
/// Says at start what upstream authorization does: open, enforced with N grants, or enforced with none (every command
/// refused). Registered before the command endpoints, so the line comes before the first command is taken.
/// </summary>
public sealed partial class UpstreamAuthorizationReport(
    UpstreamAuthorization authorization,
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    ILogger<UpstreamAuthorizationReport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await authorization.ReportAsync(db, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Informational only: the grants are read with each command anyway, so an outage here must not stop the start.
            LogUnread(exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count the upstream grants at start; they are read with each command")]
    private partial void LogUnread(Exception exception);
}

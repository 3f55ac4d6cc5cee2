using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Takes a signed checkpoint at start and every <see cref="AuditCheckpointOptions.Interval"/>, when a signing key is
/// configured; with several processors, whichever holds the advisory lock takes it and the others skip that round.
/// Without a key it says so once (a warning outside Development: the audit trail then holds only against accidents,
/// not against whoever can write the database).
/// </summary>
public sealed partial class AuditCheckpointService(
    IOptions<AuditCheckpointOptions> options,
    IOptions<DatabaseOptions> database,
    IBus bus,
    AuditCheckpointStatus status,
    TimeProvider timeProvider,
    IHostEnvironment environment,
    ILogger<AuditCheckpointService> logger) : BackgroundService
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            if (environment.IsDevelopment())
            {
                LogDisabledInDevelopment();
            }
            else
            {
                LogDisabled();
            }

            return;
        }

        status.Start();
        var checkpointer = new AuditCheckpointer(database.Value.ConnectionString, CheckpointSigningKey.FromPem(settings.ReadSigningKeyPem()), timeProvider);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TakeAsync(checkpointer, settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                status.Failed("error");
                LogFailed(exception);
            }

            await Task.Delay(settings.Interval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task TakeAsync(AuditCheckpointer checkpointer, AuditCheckpointOptions settings, CancellationToken cancellationToken)
    {
        var file = string.Empty;
        var attempt = await checkpointer.TakeAsync(settings.LockTimeout,
            async (taken, token) => file = await AuditCheckpointPublisher.WriteFileAsync(settings.Directory!, taken, token), cancellationToken);
        if (attempt.Checkpoint is not { } checkpoint)
        {
            if (attempt.Skip == CheckpointSkip.WritersInFlight)
            {
                status.Failed("writers_in_flight");
                LogWritersInFlight(settings.LockTimeout);
            }
            else
            {
                status.TakenByAnother();
                LogBusy();
            }

            return;
        }

        status.Signed(checkpoint);
        LogTaken(checkpoint.Sequence, checkpoint.Chains, checkpoint.Standalone, checkpoint.Digest, file);
        if (!string.IsNullOrEmpty(settings.Exchange))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(SendTimeout);
                await AuditCheckpointPublisher.SendAsync(bus, settings.Exchange, checkpoint, timeout.Token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                status.Failed("exchange");
                LogSendFailed(exception, checkpoint.Sequence, settings.Exchange);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint at outbox sequence {Sequence} signed ({Chains} order chains, {Standalone} standalone rows, digest {Digest}) and written to {File}")]
    private partial void LogTaken(long sequence, long chains, long standalone, string digest, string file);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Another processor is taking an audit checkpoint; this one skips the round")]
    private partial void LogBusy();

    [LoggerMessage(Level = LogLevel.Warning, Message = "An outbox write transaction stayed open longer than {Timeout} (Audit:Checkpoints:LockTimeout): this round takes no audit checkpoint, the next interval tries again")]
    private partial void LogWritersInFlight(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking an audit checkpoint failed; the next interval tries again")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit checkpoint at outbox sequence {Sequence} is in its file but could not be sent to the exchange {Exchange}")]
    private partial void LogSendFailed(Exception exception, long sequence, string exchange);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit checkpoints are off (no Audit:Checkpoints:SigningKeyFile): the outbox's hash chain then holds against accidents but not against whoever can write the database")]
    private partial void LogDisabled();

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoints are off (no Audit:Checkpoints:SigningKeyFile)")]
    private partial void LogDisabledInDevelopment();
}

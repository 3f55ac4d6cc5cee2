using MassTransit;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Writes a checkpoint to where the auditor keeps it: first the file (flushed to disk), then the audit fanout exchange
/// (<see cref="AuditCheckpoint"/> as the message, MassTransit URN <c>urn:message:OrderProcessor.Audit.Checkpoints:AuditCheckpoint</c>).
/// </summary>
public static class AuditCheckpointPublisher
{
    /// <summary>Appends the checkpoint to the directory's file, returning its path.</summary>
    public static Task<string> WriteFileAsync(string directory, AuditCheckpoint checkpoint, CancellationToken cancellationToken) =>
        CheckpointFile.AppendAsync(directory, checkpoint, cancellationToken);

    /// <summary>Sends the checkpoint to the fanout exchange (declared durable on first send).</summary>
    public static async Task SendAsync(ISendEndpointProvider endpoints, string exchange, AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = await endpoints.GetSendEndpoint(OutboxReplayer.ExchangeAddress(exchange));
        await endpoint.Send(checkpoint, cancellationToken);
    }
}

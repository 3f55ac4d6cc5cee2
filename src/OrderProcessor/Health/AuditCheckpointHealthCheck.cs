using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderProcessor.Audit.Checkpoints;

namespace OrderProcessor.Health;

/// <summary>
/// Degraded (never unhealthy: orders flow without checkpoints, only the audit anchor is late) when checkpoints are
/// configured and this processor's last round that ended well (it signed, or found another processor signing) is older
/// than twice <see cref="AuditCheckpointOptions.Interval"/> plus <see cref="Margin"/>. Healthy when they are off.
/// </summary>
public sealed class AuditCheckpointHealthCheck(AuditCheckpointStatus status, IOptions<AuditCheckpointOptions> options, TimeProvider timeProvider) : IHealthCheck
{
    /// <summary>Room for a round's own duration (the wait for writers, the digest, the file) on top of two intervals.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!status.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("audit checkpoints are off (no signing key)"));
        }

        var now = timeProvider.GetUtcNow();
        var since = status.LastGood ?? status.StartedAt ?? now;
        var age = now - since;
        var allowed = (2 * options.Value.Interval) + Margin;
        var data = new Dictionary<string, object> { ["secondsSinceLastRound"] = Math.Round(age.TotalSeconds, 1), ["allowedSeconds"] = allowed.TotalSeconds };
        if (status.LastSignedCheckpoint is { } signed)
        {
            data["lastSequence"] = signed.Sequence;
        }

        return Task.FromResult(age > allowed
            ? HealthCheckResult.Degraded(
                $"no audit checkpoint signed for {age.TotalSeconds:F0} s (expected every {options.Value.Interval.TotalSeconds:F0} s): see the processor's warnings and orderprocessor_audit_checkpoint_failures_total", data: data)
            : HealthCheckResult.Healthy(status.LastGood is null ? "the first audit checkpoint is due" : "audit checkpoints are signed", data));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Health;

/// <summary>
/// Degraded while outbox rows are parked, naming them (order, sequence, type, reason): their orders' later events wait
/// for an operator. Never Unhealthy: the rest flows, and one bad row must not take every instance out of rotation.
/// </summary>
public sealed class OutboxParkedHealthCheck(IDbContextFactory<OrderProcessorDbContext> dbFactory) : IHealthCheck
{
    /// <summary>Rows named in the report; the count covers all of them.</summary>
    public const int Named = 10;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var count = await ParkedOutboxRows.CountAsync(db, cancellationToken);
        if (count == 0)
        {
            return HealthCheckResult.Healthy("no outbox row is parked");
        }

        var rows = await ParkedOutboxRows.ListAsync(db, Named, cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["parked"] = count,
            ["rows"] = rows.Select(r => new { orderId = r.OrderId, orderSequence = r.OrderSequence, outboxSequence = r.Sequence, type = r.MessageType, reason = r.Reason, heldBehind = r.HeldBehind }).ToList(),
        };
        var first = rows[0];
        return HealthCheckResult.Degraded(
            $"{count} outbox row(s) parked, the later events of their orders wait: first row {first.Sequence} ({first.MessageType}, event {first.OrderSequence} of order {first.OrderId}): {first.Reason}. " +
            "List them with `orders outbox parked`, fix the cause, then `orders outbox retry`.", data: data);
    }
}

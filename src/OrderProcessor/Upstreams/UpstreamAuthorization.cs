using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Upstreams;

/// <summary>
/// Decides whether the upstream that published a command may act for the user and account it names. The upstream is the
/// RabbitMQ user of the publishing connection, read from the message's <c>user_id</c> property, which RabbitMQ refuses
/// to carry unless it equals that connection's user; so it cannot be claimed, only authenticated. Its grants
/// (<c>upstream_grants</c>) are read in the consumer's transaction and kept <see cref="UpstreamOptions.CacheDuration"/>,
/// so a grant or revoke made with the CLI takes effect within that time, without a restart.
/// </summary>
public sealed partial class UpstreamAuthorization(IOptions<UpstreamOptions> options, TimeProvider timeProvider, ILogger<UpstreamAuthorization> logger)
{
    private readonly ConcurrentDictionary<string, (long LoadedAt, UpstreamGrantSet Grants)> _cache = new(StringComparer.Ordinal);

    public UpstreamAuthorizationMode Mode { get; } = options.Value.Authorization ?? UpstreamAuthorizationMode.Enforced;

    /// <summary>The authenticated upstream of a delivery: RabbitMQ's validated <c>user_id</c>, or null when the publisher set none.</summary>
    public static string? UpstreamOf(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ReceiveContext.TryGetPayload(out RabbitMqBasicConsumeContext? rabbit) && !string.IsNullOrEmpty(rabbit.Properties.UserId)
            ? rabbit.Properties.UserId
            : null;
    }

    /// <summary>Null when <paramref name="upstream"/> may act for <paramref name="subject"/>; otherwise why not, for the rejection.</summary>
    public async Task<string?> RefusalAsync(OrderProcessorDbContext db, string? upstream, UpstreamSubject subject, string command,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(subject);
        if (Mode == UpstreamAuthorizationMode.Open)
        {
            return null;
        }

        string refusal;
        if (upstream is null)
        {
            refusal = "the command carries no RabbitMQ user_id: its upstream is not authenticated, and only authenticated upstreams may act for a user.";
        }
        else if ((await GrantsOfAsync(db, upstream, cancellationToken)).Permits(subject))
        {
            return null;
        }
        else
        {
            refusal = subject.AccountId is null
                ? $"upstream '{OrderLimits.Clip(upstream)}' may not act for user '{OrderLimits.Clip(subject.UserId)}'."
                : $"upstream '{OrderLimits.Clip(upstream)}' may not act for user '{OrderLimits.Clip(subject.UserId)}' on account '{OrderLimits.Clip(subject.AccountId)}'.";
        }

        LogRefused(OrderLimits.Clip(upstream) ?? "(none)", command, OrderLimits.Clip(subject.UserId), OrderLimits.Clip(subject.AccountId));
        return refusal + " Nothing was sent to IBKR.";
    }

    /// <summary>Logs, at start, what is enforced and how many grants there are: an empty mapping refuses every command.</summary>
    public async Task ReportAsync(OrderProcessorDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Mode == UpstreamAuthorizationMode.Open)
        {
            LogOpen();
            return;
        }

        var grants = await db.UpstreamGrants.CountAsync(cancellationToken);
        var upstreams = await db.UpstreamGrants.Select(g => g.Upstream).Distinct().CountAsync(cancellationToken);
        if (grants == 0)
        {
            LogNoGrants();
        }
        else
        {
            LogEnforced(grants, upstreams);
        }
    }

    private async Task<UpstreamGrantSet> GrantsOfAsync(OrderProcessorDbContext db, string upstream, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetTimestamp();
        if (_cache.TryGetValue(upstream, out var cached) && timeProvider.GetElapsedTime(cached.LoadedAt, now) < options.Value.CacheDuration)
        {
            return cached.Grants;
        }

        var grants = new UpstreamGrantSet(await db.UpstreamGrants.AsNoTracking().Where(g => g.Upstream == upstream).ToListAsync(cancellationToken));
        // Bounded: only upstreams that authenticated to RabbitMQ get here, and each keeps one entry.
        _cache[upstream] = (now, grants);
        return grants;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} refused: upstream {Upstream} may not act for user {UserId} on account {AccountId} (UpstreamNotAuthorized)")]
    private partial void LogRefused(string upstream, string command, string? userId, string? accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream authorization is OPEN: any publisher on the broker may act for any user (Upstreams:Authorization=Open, the Development default)")]
    private partial void LogOpen();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Upstream authorization is enforced and upstream_grants is EMPTY: every command will be refused as UpstreamNotAuthorized. Grant each upstream with `orders upstreams grant <rabbitmq-user> --user <pattern> --account <pattern>`")]
    private partial void LogNoGrants();

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream authorization enforced: {Grants} grant(s) loaded for {Upstreams} upstream(s)")]
    private partial void LogEnforced(int grants, int upstreams);
}

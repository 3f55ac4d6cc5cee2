using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit;

/// <summary>
/// Replays outbox rows for audit: sends each to a dedicated fanout exchange (not the event type exchanges, so normal
/// subscribers never receive a replay) as its contract type, with its original message id, the sequence headers of
/// the relay and a replay marker; or writes them as JSON lines.
/// </summary>
public static partial class OutboxReplayer
{
    public const string DefaultExchange = "orderprocessor.audit";
    public const string ReplayHeader = "OrderProcessor-Replay";
    public const string ReplayedAtHeader = "OrderProcessor-ReplayedAt";

    /// <summary>MassTransit's address of the audit exchange: declared as a durable fanout exchange on first send.</summary>
    public static Uri ExchangeAddress(string exchange) =>
        IsValidExchangeName(exchange)
            ? new Uri($"exchange:{exchange}?type=fanout")
            : throw new ArgumentException($"'{exchange}' is not a valid RabbitMQ exchange name (letters, digits, '-', '_', '.', ':'; at most 255).", nameof(exchange));

    public static bool IsValidExchangeName(string? exchange) => exchange is not null && ExchangeName().IsMatch(exchange);

    /// <summary>Sends every row to the audit exchange, in the order given; returns how many were sent.</summary>
    public static async Task<long> ReplayToExchangeAsync(ISendEndpointProvider endpoints, string exchange, IAsyncEnumerable<OutboxMessage> rows,
        TimeProvider timeProvider, Action<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var endpoint = await endpoints.GetSendEndpoint(ExchangeAddress(exchange));
        var replayedAt = timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var sent = 0L;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await SendAsync(endpoint, row, replayedAt, cancellationToken);
            sent++;
            progress?.Invoke(sent);
        }

        return sent;
    }

    /// <summary>Writes every row as a JSON line; returns how many were written.</summary>
    public static async Task<long> WriteJsonLinesAsync(TextWriter writer, IAsyncEnumerable<OutboxMessage> rows, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var written = 0L;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await OutboxJsonLines.WriteAsync(writer, row, cancellationToken);
            written++;
            progress?.Invoke(written);
        }

        await writer.FlushAsync(cancellationToken);
        return written;
    }

    private static Task SendAsync(ISendEndpoint endpoint, OutboxMessage row, string replayedAt, CancellationToken cancellationToken)
    {
        var (message, type) = OutboxPublisher.Read(row);
        return endpoint.Send(message, type, context =>
        {
            OutboxPublisher.Stamp(context, row);
            context.Headers.Set(ReplayHeader, "true");
            context.Headers.Set(ReplayedAtHeader, replayedAt);
        }, cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,255}$")]
    private static partial Regex ExchangeName();
}

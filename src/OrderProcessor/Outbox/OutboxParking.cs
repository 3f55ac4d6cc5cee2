using System.Text;
using System.Text.Json;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using RabbitMQ.Client.Exceptions;

namespace OrderProcessor.Outbox;

/// <summary>
/// Tells a row that can never be published as it is (park it, so it stops costing retries and holds back only its
/// own order) from one whose publish failed for a while (retry it with backoff). Pure rules, no I/O.
/// </summary>
public static class OutboxParking
{
    /// <summary>AMQP reply codes of a refusal that retrying does not change: the broker's configuration must change first.</summary>
    private static readonly Dictionary<ushort, string> PermanentReplies = new()
    {
        [403] = "ACCESS_REFUSED",
        [406] = "PRECONDITION_FAILED",
    };

    /// <summary>
    /// Reads the row as its contract type, or says why it cannot be: the body is over <paramref name="maxBodyBytes"/>,
    /// the type is unknown, or the body does not read as that type.
    /// </summary>
    public static OutboxParkDecision? TryRead(OutboxMessage row, int maxBodyBytes, out object? message, out Type? type)
    {
        ArgumentNullException.ThrowIfNull(row);
        (message, type) = (null, null);
        var bytes = Encoding.UTF8.GetByteCount(row.Body);
        if (bytes > maxBodyBytes)
        {
            return new(OutboxParkCause.TooLarge, $"the body is {bytes} bytes, over Outbox:MaxBodyBytes ({maxBodyBytes})");
        }

        if (!OrderEventTypes.TryResolve(row.MessageType, out var resolved))
        {
            return new(OutboxParkCause.UnknownType,
                $"message type '{row.MessageType}' is not an order event this version knows (written by another version, e.g. before a rollback)");
        }

        try
        {
            message = JsonSerializer.Deserialize(row.Body, resolved, ContractJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException)
        {
            return new(OutboxParkCause.Unreadable, $"the body does not read as {resolved.Name}: {exception.Message}");
        }

        if (message is null)
        {
            return new(OutboxParkCause.Unreadable, $"the body is JSON null, not a {resolved.Name}");
        }

        type = resolved;
        return null;
    }

    /// <summary>
    /// A failed publish that retrying will not change: RabbitMQ refused this row's exchange (403 access refused, 406
    /// precondition failed, e.g. an exchange declared with another type). The refusal closes the whole channel, so every
    /// publish under way on it fails with the same reason: only one whose reply names the row's own exchange
    /// (<c>...:MessageType'</c>) is parked, the others are retried. Only trusted while the broker takes other events
    /// (<paramref name="brokerTakesMessages"/>): the same refusal for everything is the broker's state, not the row's.
    /// </summary>
    public static OutboxParkDecision? AfterFailure(Exception exception, string messageType, bool brokerTakesMessages)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (!brokerTakesMessages)
        {
            return null;
        }

        var exchange = ":" + messageType + "'";
        foreach (var cause in Chain(exception))
        {
            var (code, text) = cause is OperationInterruptedException { ShutdownReason: { } reason }
                ? (reason.ReplyCode, reason.ReplyText)
                : ((ushort)0, cause.Message);
            if (!text.Contains(exchange, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (permanentCode, name) in PermanentReplies)
            {
                if (code == permanentCode || text.Contains(name, StringComparison.Ordinal))
                {
                    return new(OutboxParkCause.RefusedByBroker, $"RabbitMQ refused the publish ({permanentCode} {name}): {Short(text)}");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A row that has failed <paramref name="parkAfterAttempts"/> publishes, the last one while the broker took other
    /// events. During a broker outage every row fails, and none of them is parked for it.
    /// </summary>
    public static OutboxParkDecision? AfterAttempts(int attempts, int parkAfterAttempts, bool brokerTakesMessages, string lastError) =>
        attempts >= parkAfterAttempts && brokerTakesMessages
            ? new(OutboxParkCause.TooManyAttempts, $"{attempts} publishes failed while other events were published; the last: {Short(lastError)}")
            : null;

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.Count > 0 && seen++ < 32)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static string Short(string text) => text.Length > 500 ? text[..500] : text;
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>
/// The tamper-evidence hash of an outbox row: SHA-256 over the previous row's hash of the same order and every column
/// that says what the event was. Changing, removing or reordering a row breaks the chain from there on.
/// </summary>
public static class OutboxHash
{
    public static string Compute(OutboxMessage row)
    {
        var text = string.Join('\n',
            row.PreviousHash ?? string.Empty,
            row.MessageId.ToString("D"),
            row.OrderId.ToString("D"),
            row.OrderSequence.ToString(CultureInfo.InvariantCulture),
            row.MessageType,
            row.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            row.CorrelationId.ToString("D"),
            row.CausationId.ToString("D"),
            row.Body);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

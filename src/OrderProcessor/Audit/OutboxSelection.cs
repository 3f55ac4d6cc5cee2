using Npgsql;

namespace OrderProcessor.Audit;

/// <summary>
/// Which outbox rows to replay: by order, user, account (through the <c>orders</c> table; for standalone events, the
/// user and account the event names), a <c>created_at</c> range (since inclusive, until exclusive) or an outbox
/// sequence range (both ends inclusive). Criteria given together must all hold.
/// </summary>
public sealed record OutboxSelection
{
    public Guid? OrderId { get; init; }
    public string? UserId { get; init; }
    public string? AccountId { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public long? FromSequence { get; init; }
    public long? ToSequence { get; init; }

    /// <summary>Whether the criteria need the <c>orders</c> table (joined as <c>s</c>).</summary>
    internal bool NeedsOrders => UserId is not null || AccountId is not null;

    public bool IsEmpty => OrderId is null && UserId is null && AccountId is null && Since is null && Until is null
        && FromSequence is null && ToSequence is null;

    /// <summary>What is wrong with the selection, or null when it can be run.</summary>
    public string? Problem() => this switch
    {
        { IsEmpty: true } => "name what to select: an order, a user, an account, a time range or a sequence range",
        { Since: { } since, Until: { } until } when until <= since => $"the time range is empty: until ({until:O}) is not after since ({since:O})",
        { FromSequence: { } from, ToSequence: { } to } when to < from => $"the sequence range is empty: {to} is before {from}",
        { FromSequence: < 0 } or { ToSequence: < 0 } => "outbox sequences are positive",
        _ => null,
    };

    /// <summary>For logs and the CLI: the criteria in words.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (OrderId is { } order)
        {
            parts.Add($"order {order}");
        }

        if (UserId is not null)
        {
            parts.Add($"user {UserId}");
        }

        if (AccountId is not null)
        {
            parts.Add($"account {AccountId}");
        }

        if (Since is not null || Until is not null)
        {
            parts.Add($"created {Since?.ToString("O") ?? "-inf"} .. {Until?.ToString("O") ?? "now"}");
        }

        if (FromSequence is not null || ToSequence is not null)
        {
            parts.Add($"outbox sequence {FromSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1"}..{ToSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "end"}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The <c>WHERE</c> conditions over <c>outbox_messages o LEFT JOIN orders s</c>, with their parameters added to <paramref name="command"/>.</summary>
    internal string Conditions(NpgsqlCommand command)
    {
        var conditions = new List<string> { "TRUE" };
        if (OrderId is { } order)
        {
            conditions.Add("o.order_id = @order_id");
            command.Parameters.AddWithValue("order_id", order);
        }

        if (UserId is { } user)
        {
            conditions.Add("(s.user_id = @user_id OR (s.order_id IS NULL AND o.body->>'userId' = @user_id))");
            command.Parameters.AddWithValue("user_id", user);
        }

        if (AccountId is { } account)
        {
            conditions.Add("(s.account_id = @account_id OR (s.order_id IS NULL AND o.body->>'accountId' = @account_id))");
            command.Parameters.AddWithValue("account_id", account);
        }

        if (Since is { } since)
        {
            conditions.Add("o.created_at >= @since");
            command.Parameters.AddWithValue("since", since.ToUniversalTime());
        }

        if (Until is { } until)
        {
            conditions.Add("o.created_at < @until");
            command.Parameters.AddWithValue("until", until.ToUniversalTime());
        }

        if (FromSequence is { } from)
        {
            conditions.Add("o.sequence >= @from_sequence");
            command.Parameters.AddWithValue("from_sequence", from);
        }

        if (ToSequence is { } to)
        {
            conditions.Add("o.sequence <= @to_sequence");
            command.Parameters.AddWithValue("to_sequence", to);
        }

        return string.Join(" AND ", conditions);
    }
}

using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Spectre.Console;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Grows the benchmark's database by a day of a busy platform, so the steady rates can be measured again on it: final
/// orders, each with its inbox row and its retained events, as many per user as <c>perUser</c> (the benchmark's users
/// first, then users of their own), created over the past hours. Each order is a copy of one final order the run already
/// made (a filled market order), under a new id, cOID, user and time; IBKR's order ids are negative so they never meet
/// the simulator's. The copied events keep the template's hashes: the preloaded chains do not verify, so a preloaded
/// database is for measuring, not for audit.
/// </summary>
public static class DayPreload
{
    private const int Chunk = 10_000;

    /// <summary>Columns set per copy; every other column is the template's.</summary>
    private static readonly Dictionary<string, string> OrderOverrides = new(StringComparer.Ordinal)
    {
        ["order_id"] = "n.id",
        ["client_order_id"] = "'op-' || replace(n.id::text, '-', '')",
        ["user_id"] = "u.user_id",
        ["account_id"] = "u.account_id",
        ["broker_order_id"] = "(-n.g)::text",
        ["correlation_id"] = "n.id",
        ["created_at"] = "n.at",
        ["updated_at"] = "n.at",
    };

    private static readonly Dictionary<string, string> OutboxOverrides = new(StringComparer.Ordinal)
    {
        ["message_id"] = "gen_random_uuid()",
        ["order_id"] = "i.order_id",
        ["correlation_id"] = "i.order_id",
        ["created_at"] = "i.created_at",
        ["published_at"] = "i.created_at",
    };

    public static async Task<int> RunAsync(string connectionString, int orders, int perUser, IReadOnlyList<(string User, string Account)> benchUsers,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var template = await ScalarAsync<Guid?>(connection, """
            SELECT order_id FROM orders
            WHERE status = 'Filled' AND parent_order_id IS NULL AND oca_group IS NULL AND order_type = 'Market'
            ORDER BY created_at DESC LIMIT 1
            """, cancellationToken) ?? throw new InvalidOperationException("no filled market order to copy: run the burst first");
        var orderColumns = await ColumnsAsync(connection, "orders", cancellationToken);
        var outboxColumns = await ColumnsAsync(connection, "outbox_messages", cancellationToken);

        // The users: the benchmark's first, each with perUser orders; then users of their own for the rest.
        var userCount = (orders + perUser - 1) / perUser;
        await ExecuteAsync(connection, "CREATE TEMP TABLE preload_users (n integer PRIMARY KEY, user_id text NOT NULL, account_id text NOT NULL)", cancellationToken);
        await using (var users = new NpgsqlCommand("INSERT INTO preload_users SELECT * FROM unnest(@n, @user, @account)", connection))
        {
            var all = Enumerable.Range(0, userCount)
                .Select(i => i < benchUsers.Count ? benchUsers[i] : ($"preload-{i:D5}", $"DU8{i:D6}")).ToList();
            users.Parameters.AddWithValue("n", Enumerable.Range(0, userCount).ToArray());
            users.Parameters.AddWithValue("user", all.Select(u => u.Item1).ToArray());
            users.Parameters.AddWithValue("account", all.Select(u => u.Item2).ToArray());
            await users.ExecuteNonQueryAsync(cancellationToken);
        }

        var orderInsert = string.Join(", ", orderColumns);
        var orderSelect = string.Join(", ", orderColumns.Select(c => OrderOverrides.TryGetValue(c, out var e) ? e : "t." + c));
        var outboxInsert = string.Join(", ", outboxColumns);
        var outboxSelect = string.Join(", ", outboxColumns.Select(c => OutboxOverrides.TryGetValue(c, out var e) ? e : "m." + c));
        var sql = $"""
            WITH n AS (
                SELECT gen_random_uuid() AS id, g, now() - make_interval(secs => g * @spacing) AS at
                FROM generate_series(@from, @to) g
            ), inserted AS (
                INSERT INTO orders ({orderInsert})
                SELECT {orderSelect}
                FROM orders t CROSS JOIN n JOIN preload_users u ON u.n = (n.g - 1) / @perUser
                WHERE t.order_id = @template
                RETURNING order_id, created_at
            ), inbox AS (
                INSERT INTO inbox_messages (message_id, consumer, processed_at, content_hash)
                SELECT gen_random_uuid(), 'PlaceOrderConsumer', created_at, NULL FROM inserted
            )
            INSERT INTO outbox_messages ({outboxInsert})
            SELECT {outboxSelect}
            FROM outbox_messages m CROSS JOIN inserted i
            WHERE m.order_id = @template
            """;
        // A day: the orders spread evenly over the past 16 hours.
        var spacing = TimeSpan.FromHours(16).TotalSeconds / orders;
        for (var from = 1; from <= orders; from += Chunk)
        {
            var to = Math.Min(orders, from + Chunk - 1);
            await using var insert = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            insert.Parameters.AddWithValue("spacing", spacing);
            insert.Parameters.AddWithValue("from", from);
            insert.Parameters.AddWithValue("to", to);
            insert.Parameters.AddWithValue("perUser", perUser);
            insert.Parameters.AddWithValue("template", template);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]preloaded {to} of {orders} orders ({clock.Elapsed.TotalSeconds:F0} s)[/]");
        }

        return userCount;
    }

    /// <summary>The table's columns that an INSERT may set (not generated, not an identity), in order.</summary>
    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @table AND is_generated = 'NEVER' AND is_identity = 'NO'
              AND coalesce(column_default, '') NOT LIKE 'nextval(%'
            ORDER BY ordinal_position
            """, connection);
        command.Parameters.AddWithValue("table", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Npgsql;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// Reads the rows of <c>risk_limits</c> of an account and a user inside the caller's transaction (one indexed read of
/// at most two rows): a limit changed by the CLI applies to the next order on every instance, no cache to wait for.
/// A plain statement, not an EF query (every checked order reads it; see <see cref="ContextCommand"/>), that a caller can
/// also send in a batch with its other reads (<see cref="Command"/>, <see cref="ReadRowsAsync"/>).
/// </summary>
public static class RiskLimitStore
{
    private const string Sql = """
        SELECT scope, scope_key, max_quantity, max_notional, max_orders_per_second, max_orders_per_minute,
               max_working_orders_per_contract_side, duplicate_window, price_band_percent, updated_at, updated_by
        FROM risk_limits
        WHERE (scope = $1 AND scope_key = $2) OR (scope = $3 AND scope_key = $4)
        """;

    public static async Task<(RiskLimitRow? Account, RiskLimitRow? User)> ReadAsync(OrderProcessorDbContext db, string accountId, string userId,
        CancellationToken cancellationToken)
    {
        var read = new BatchRead<(RiskLimitRow? Account, RiskLimitRow? User)>([Command(accountId, userId)], ReadRowsAsync);
        await BatchRead.RunAsync(db, [read], cancellationToken);
        return read.Value;
    }

    /// <summary>The read as one command of a batch; its rows are read with <see cref="ReadRowsAsync"/>.</summary>
    public static NpgsqlBatchCommand Command(string accountId, string userId) =>
        new(Sql)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = RiskLimits.AccountScope },
                new NpgsqlParameter<string> { TypedValue = accountId },
                new NpgsqlParameter<string> { TypedValue = RiskLimits.UserScope },
                new NpgsqlParameter<string> { TypedValue = userId },
            },
        };

    /// <summary>The account's and the user's rows from the reader's current result.</summary>
    public static async Task<(RiskLimitRow? Account, RiskLimitRow? User)> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        RiskLimitRow? account = null, user = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new RiskLimitRow
            {
                Scope = reader.GetString(0),
                ScopeKey = reader.GetString(1),
                MaxQuantity = reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                MaxNotional = reader.IsDBNull(3) ? null : reader.GetDecimal(3),
                MaxOrdersPerSecond = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                MaxOrdersPerMinute = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                MaxWorkingOrdersPerContractSide = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                DuplicateWindow = reader.IsDBNull(7) ? null : reader.GetFieldValue<TimeSpan>(7),
                PriceBandPercent = reader.IsDBNull(8) ? null : reader.GetDecimal(8),
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(9),
                UpdatedBy = reader.IsDBNull(10) ? null : reader.GetString(10),
            };
            if (row.Scope == RiskLimits.AccountScope)
            {
                account = row;
            }
            else
            {
                user = row;
            }
        }

        return (account, user);
    }
}

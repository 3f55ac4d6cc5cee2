using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// Changes <c>risk_limits</c> (the CLI's <c>orders limits</c>, and tests). Every instance reads the rows inside the
/// transaction of each PlaceOrder it decides, so a committed change applies to the next order everywhere.
/// </summary>
public static class RiskLimitCommands
{
    /// <summary>The fields <c>clear --field</c> names, as the CLI spells them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["max-quantity", "max-notional", "per-second", "per-minute", "max-working", "duplicate-window", "price-band"];

    public static async Task<List<RiskLimitRow>> ListAsync(OrderProcessorDbContext db, string? scope, string? scopeKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = db.RiskLimits.AsNoTracking();
        if (scope is not null)
        {
            rows = rows.Where(r => r.Scope == scope);
        }

        if (scopeKey is not null)
        {
            rows = rows.Where(r => r.ScopeKey == scopeKey);
        }

        return await rows.OrderBy(r => r.Scope).ThenBy(r => r.ScopeKey).ToListAsync(cancellationToken);
    }

    /// <summary>Creates or updates the row of <paramref name="scope"/> <paramref name="scopeKey"/> with the change's values.</summary>
    public static async Task<RiskLimitRow> SetAsync(OrderProcessorDbContext db, string scope, string scopeKey, RiskLimitChange change, string? by,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        CheckScope(scope);
        if (scope == RiskLimits.UserScope && !change.OnlyRates)
        {
            throw new ArgumentException("a user's row carries only --per-second and --per-minute; the other limits are set per account.", nameof(change));
        }

        var row = await db.RiskLimits.SingleOrDefaultAsync(r => r.Scope == scope && r.ScopeKey == scopeKey, cancellationToken);
        if (row is null)
        {
            row = new RiskLimitRow { Scope = scope, ScopeKey = scopeKey };
            db.RiskLimits.Add(row);
        }

        row.MaxQuantity = change.MaxQuantity ?? row.MaxQuantity;
        row.MaxNotional = change.MaxNotional ?? row.MaxNotional;
        row.MaxOrdersPerSecond = change.MaxOrdersPerSecond ?? row.MaxOrdersPerSecond;
        row.MaxOrdersPerMinute = change.MaxOrdersPerMinute ?? row.MaxOrdersPerMinute;
        row.MaxWorkingOrdersPerContractSide = change.MaxWorkingOrdersPerContractSide ?? row.MaxWorkingOrdersPerContractSide;
        row.DuplicateWindow = change.DuplicateWindow ?? row.DuplicateWindow;
        row.PriceBandPercent = change.PriceBandPercent ?? row.PriceBandPercent;
        row.UpdatedAt = now;
        row.UpdatedBy = by;
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// Clears the named fields of the row (back to the configured defaults), or the whole row when none is named.
    /// Returns false when there was no row.
    /// </summary>
    public static async Task<bool> ClearAsync(OrderProcessorDbContext db, string scope, string scopeKey, IReadOnlyCollection<string> fields, string? by,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(fields);
        CheckScope(scope);
        var row = await db.RiskLimits.SingleOrDefaultAsync(r => r.Scope == scope && r.ScopeKey == scopeKey, cancellationToken);
        if (row is null)
        {
            return false;
        }

        if (fields.Count == 0)
        {
            db.RiskLimits.Remove(row);
        }
        else
        {
            foreach (var field in fields)
            {
                Clear(row, field);
            }

            row.UpdatedAt = now;
            row.UpdatedBy = by;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static void Clear(RiskLimitRow row, string field)
    {
        switch (field)
        {
            case "max-quantity": row.MaxQuantity = null; break;
            case "max-notional": row.MaxNotional = null; break;
            case "per-second": row.MaxOrdersPerSecond = null; break;
            case "per-minute": row.MaxOrdersPerMinute = null; break;
            case "max-working": row.MaxWorkingOrdersPerContractSide = null; break;
            case "duplicate-window": row.DuplicateWindow = null; break;
            case "price-band": row.PriceBandPercent = null; break;
            default: throw new ArgumentException($"--field {field} is not one of {string.Join(", ", Fields)}.", nameof(field));
        }
    }

    private static void CheckScope(string scope)
    {
        if (scope is not (RiskLimits.AccountScope or RiskLimits.UserScope))
        {
            throw new ArgumentException($"scope must be '{RiskLimits.AccountScope}' or '{RiskLimits.UserScope}'.", nameof(scope));
        }
    }
}

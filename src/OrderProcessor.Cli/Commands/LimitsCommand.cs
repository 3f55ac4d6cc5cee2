using System.CommandLine;
using System.Globalization;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Persistence;
using OrderProcessor.Risk;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders limits list|set|clear</c>: the pre-trade risk limits of one account or user (table <c>risk_limits</c>), each
/// overriding the processor's <c>Risk:*</c> default. Running processors read the rows with every PlaceOrder they decide,
/// so a change applies to the next order on every instance.
/// </summary>
public static class LimitsCommand
{
    public static Command Create()
    {
        var limits = new Command("limits", "The pre-trade risk limits set per account or user (each overrides the processor's Risk:* default).");
        limits.Add(List());
        limits.Add(Set());
        limits.Add(Clear());
        return limits;
    }

    private static Command List()
    {
        var (account, user) = Scope();
        var command = new Command("list", "List the limits set per account or user (a blank is the processor's default).") { account, user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (scope, key) = (parse.GetValue(account), parse.GetValue(user)) switch
            {
                ({ } a, null) => (RiskLimits.AccountScope, a),
                (null, { } u) => (RiskLimits.UserScope, u),
                (null, null) => ((string?)null, (string?)null),
                _ => throw new CliConfigurationException("give --account or --user, not both."),
            };
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var rows = await RiskLimitCommands.ListAsync(db, scope, key, cancellationToken);
                foreach (var row in rows)
                {
                    AnsiConsole.WriteLine(Describe(row));
                }

                AnsiConsole.MarkupLineInterpolated($"{rows.Count} row(s); a limit not listed is the processor's Risk:* default.");
                return key is not null && rows.Count == 0 ? ExitCodes.NotFound : ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command Set()
    {
        var (account, user) = Scope();
        var maxQuantity = new Option<decimal?>("--max-quantity") { Description = "Largest quantity of one order (each ticket of a bracket or OCA group)." };
        var maxNotional = new Option<decimal?>("--max-notional") { Description = "Largest limit/stop price × quantity of one order, in the contract's currency." };
        var perSecond = new Option<int?>("--per-second") { Description = "Orders per second (account or user)." };
        var perMinute = new Option<int?>("--per-minute") { Description = "Orders per minute (account or user)." };
        var maxWorking = new Option<int?>("--max-working") { Description = "Working orders per contract and side." };
        var duplicateWindow = new Option<string?>("--duplicate-window") { Description = "Probable-duplicate window: 10s, 2m or 00:00:10; 0 is off." };
        var priceBand = new Option<string?>("--price-band") { Description = "Largest distance of a limit price from IBKR's reference price: 5% or 5 (one what-if per limit order)." };
        var by = new Option<string?>("--by") { Description = "Who changes it (recorded in updated_by); default: $USER." };
        var command = new Command("set", "Set limits of one account (--account) or the order rates of one user (--user); other limits of the row stay.")
        {
            account, user, maxQuantity, maxNotional, perSecond, perMinute, maxWorking, duplicateWindow, priceBand, by,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (scope, key) = Required(parse.GetValue(account), parse.GetValue(user));
            var change = new RiskLimitChange(
                Positive(parse.GetValue(maxQuantity), "--max-quantity"),
                Positive(parse.GetValue(maxNotional), "--max-notional"),
                Positive(parse.GetValue(perSecond), "--per-second"),
                Positive(parse.GetValue(perMinute), "--per-minute"),
                Positive(parse.GetValue(maxWorking), "--max-working"),
                parse.GetValue(duplicateWindow) is { } window ? Window(window) : null,
                parse.GetValue(priceBand) is { } band ? Band(band) : null);
            if (change.IsEmpty)
            {
                throw new CliConfigurationException("give at least one limit to set (--max-quantity, --max-notional, --per-second, --per-minute, --max-working, --duplicate-window, --price-band).");
            }

            if (scope == RiskLimits.UserScope && !change.OnlyRates)
            {
                throw new CliConfigurationException("a user's limits are only --per-second and --per-minute; the others are set per --account.");
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var row = await RiskLimitCommands.SetAsync(db, scope, key, change, parse.GetValue(by) ?? Environment.UserName, DateTimeOffset.UtcNow, cancellationToken);
                AnsiConsole.MarkupLine("[green]set[/] " + Markup.Escape(Describe(row)));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command Clear()
    {
        var (account, user) = Scope();
        var field = new Option<string[]>("--field") { Description = $"Clear only these limits ({string.Join(", ", RiskLimitCommands.Fields)}); default: the whole row.", AllowMultipleArgumentsPerToken = true };
        var by = new Option<string?>("--by") { Description = "Who changes it (recorded in updated_by); default: $USER." };
        var command = new Command("clear", "Clear limits of one account or user: back to the processor's defaults. Exit code 4 when there was no row.")
        {
            account, user, field, by,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (scope, key) = Required(parse.GetValue(account), parse.GetValue(user));
            var fields = parse.GetValue(field) ?? [];
            if (fields.FirstOrDefault(f => !RiskLimitCommands.Fields.Contains(f)) is { } unknown)
            {
                throw new CliConfigurationException($"--field {unknown} is not one of {string.Join(", ", RiskLimitCommands.Fields)}.");
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var cleared = await RiskLimitCommands.ClearAsync(db, scope, key, fields, parse.GetValue(by) ?? Environment.UserName, DateTimeOffset.UtcNow, cancellationToken);
                AnsiConsole.MarkupLine(Markup.Escape(cleared
                    ? $"cleared {(fields.Length == 0 ? "every limit" : string.Join(", ", fields))} of {scope} {key}"
                    : $"no limits set for {scope} {key}"));
                return cleared ? ExitCodes.Success : ExitCodes.NotFound;
            });
        });
        return command;
    }

    private static (Option<string?> Account, Option<string?> User) Scope() =>
        (new Option<string?>("--account") { Description = "The account id." }, new Option<string?>("--user") { Description = "The user id." });

    private static (string Scope, string Key) Required(string? account, string? user) => (account, user) switch
    {
        ({ } a, null) when a.Length > 0 => (RiskLimits.AccountScope, a),
        (null, { } u) when u.Length > 0 => (RiskLimits.UserScope, u),
        _ => throw new CliConfigurationException("give exactly one of --account or --user."),
    };

    private static T? Positive<T>(T? value, string name)
        where T : struct, IComparable<T> =>
        value is { } v && v.CompareTo(default) <= 0 ? throw new CliConfigurationException($"{name} must be positive (was {v}).") : value;

    private static TimeSpan Window(string text)
    {
        var t = text.Trim();
        if (t.EndsWith('s') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (t.EndsWith('m') && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) && minutes >= 0)
        {
            return TimeSpan.FromMinutes(minutes);
        }

        if (t == "0")
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero && span <= TimeSpan.FromDays(1)
            ? span
            : throw new CliConfigurationException($"--duplicate-window '{text}' is not a duration such as 10s, 2m or 00:00:10 (at most 24 h).");
    }

    private static decimal Band(string text)
    {
        var t = text.Trim().TrimEnd('%').Trim();
        return decimal.TryParse(t, NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) && percent >= 0.01m && percent <= 1000m
            ? percent
            : throw new CliConfigurationException($"--price-band '{text}' is not a percentage such as 5% (between 0.01 and 1000).");
    }

    private static string Describe(RiskLimitRow row)
    {
        var parts = new List<string>();
        Add("max-quantity", row.MaxQuantity);
        Add("max-notional", row.MaxNotional);
        Add("per-second", row.MaxOrdersPerSecond);
        Add("per-minute", row.MaxOrdersPerMinute);
        Add("max-working", row.MaxWorkingOrdersPerContractSide);
        if (row.DuplicateWindow is { } window)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"duplicate-window {window.TotalSeconds:0.#}s"));
        }

        if (row.PriceBandPercent is { } band)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"price-band {band:0.##}%"));
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{row.Scope} {row.ScopeKey}  {(parts.Count == 0 ? "(defaults)" : string.Join("  ", parts))}  updated {row.UpdatedAt:u} by {row.UpdatedBy ?? "?"}");

        void Add(string name, IFormattable? value)
        {
            if (value is not null)
            {
                parts.Add($"{name} {value.ToString(null, CultureInfo.InvariantCulture)}");
            }
        }
    }
}

using Microsoft.Extensions.Options;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>Start-up validation of <c>Brokerage:Maintenance</c>; every message names the setting (as its environment variable).</summary>
internal sealed class MaintenanceOptionsValidator : IValidateOptions<MaintenanceOptions>
{
    private const string Prefix = "Brokerage__Maintenance__";

    /// <summary>Longer than this, "before the window" would be a window of its own: configure that as the window.</summary>
    private static readonly TimeSpan MaxHoldBefore = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Regions is null || options.Regions.Count == 0)
        {
            failures.Add($"{Prefix}Regions is empty: at least one IBKR region with its TimeZone is needed.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (string.IsNullOrWhiteSpace(options.DefaultRegion) || !options.Regions.ContainsKey(options.DefaultRegion))
            failures.Add($"{Prefix}DefaultRegion '{options.DefaultRegion}' is not one of {Prefix}Regions ({string.Join(", ", options.Regions.Keys)}).");
        foreach (var (user, region) in options.UserRegions ?? [])
        {
            if (string.IsNullOrWhiteSpace(region) || !options.Regions.ContainsKey(region))
                failures.Add($"{Prefix}UserRegions__{user} names region '{region}', which is not one of {Prefix}Regions ({string.Join(", ", options.Regions.Keys)}).");
        }

        foreach (var (region, settings) in options.Regions)
            ValidateRegion(region, settings, failures);

        RequirePositive(options.ProbeInterval, "ProbeInterval", failures);
        RequirePositive(options.DetectWithin, "DetectWithin", failures);
        if (options.DetectGrace < TimeSpan.Zero)
            failures.Add($"{Prefix}DetectGrace must not be negative.");
        if (options.HoldBefore < TimeSpan.Zero || options.HoldBefore > MaxHoldBefore)
            failures.Add($"{Prefix}HoldBefore must be between 00:00:00 and {MaxHoldBefore:c} (how long before a scheduled window calls are held).");
        if (options.ReconcileAfterWindowFor < TimeSpan.Zero)
            failures.Add($"{Prefix}ReconcileAfterWindowFor must not be negative.");
        if (options.DetectUsers < 1)
            failures.Add($"{Prefix}DetectUsers must be at least 1.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The region's time zone, or null when the id is not an IANA (or Windows) id this machine knows.</summary>
    public static TimeZoneInfo? ZoneOf(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static void ValidateRegion(string region, MaintenanceRegionOptions? settings, List<string> failures)
    {
        var key = $"{Prefix}Regions__{region}__";
        if (settings is null)
        {
            failures.Add($"{key}TimeZone is missing.");
            return;
        }

        if (ZoneOf(settings.TimeZone) is null)
            failures.Add($"{key}TimeZone '{settings.TimeZone}' is not a time zone this machine knows (use an IANA id such as America/New_York; the container needs tzdata).");
        if (settings.Nightly is { } nightly && (nightly.Length < TimeSpan.Zero || nightly.Length >= TimeSpan.FromDays(1)))
            failures.Add($"{key}Nightly__Length must be from 00:00:00 (no nightly window) to less than a day.");
        for (var i = 0; i < (settings.Weekly?.Count ?? 0); i++)
        {
            var weekly = settings.Weekly![i];
            if (weekly is null || weekly.Length <= TimeSpan.Zero || weekly.Length >= TimeSpan.FromDays(7))
                failures.Add($"{key}Weekly__{i}__Length must be greater than zero and less than 7 days.");
            else if (!Enum.IsDefined(weekly.Day))
                failures.Add($"{key}Weekly__{i}__Day must be a day of the week (Monday … Sunday).");
        }
    }

    private static void RequirePositive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{Prefix}{setting} must be greater than zero.");
    }
}

using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Availability;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// Guard settings with IBKR availability on, every user in one region "Test" on UTC whose only window is the one a test
/// asks for (none by default: the wall clock's real windows stay out of the tests), probes every second, no grace.
/// </summary>
internal static class AvailabilitySettings
{
    public const string Region = "Test";

    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    public static void Apply(Dictionary<string, string?> settings, DateTimeOffset? windowStart = null, TimeSpan? windowLength = null)
    {
        settings["Brokerage:Maintenance:Enabled"] = "true";
        settings["Brokerage:Maintenance:DefaultRegion"] = Region;
        settings[$"Brokerage:Maintenance:Regions:{Region}:TimeZone"] = "UTC";
        settings[$"Brokerage:Maintenance:Regions:{Region}:Nightly:Start"] = (windowStart ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        settings[$"Brokerage:Maintenance:Regions:{Region}:Nightly:Length"] = (windowLength ?? TimeSpan.Zero).ToString("c", CultureInfo.InvariantCulture);
        settings["Brokerage:Maintenance:ProbeInterval"] = ProbeInterval.ToString("c", CultureInfo.InvariantCulture);
        settings["Brokerage:Maintenance:DetectGrace"] = "00:00:00";
    }

    public static IbkrAvailability Of(GuardHost host) => host.Services.GetRequiredService<IbkrAvailability>();
}

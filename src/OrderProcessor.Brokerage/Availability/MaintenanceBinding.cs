using Microsoft.Extensions.Configuration;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// Binds <c>Brokerage:Maintenance</c>. Configured <c>Regions</c> replace the three default regions as a whole (each with
/// only the windows configured for it): .NET's binder would otherwise merge into the defaults and append a configured
/// weekly window to the default Saturday one, so a default window could never be removed.
/// </summary>
public static class MaintenanceBinding
{
    public static void Bind(IConfiguration section, MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        var defaults = options.Regions;
        section.Bind(options);
        var configured = section.GetSection(nameof(MaintenanceOptions.Regions)).GetChildren().ToList();
        if (configured.Count == 0)
        {
            options.Regions = defaults;
            return;
        }

        var regions = new Dictionary<string, MaintenanceRegionOptions>(StringComparer.Ordinal);
        foreach (var region in configured)
        {
            var settings = new MaintenanceRegionOptions();
            region.Bind(settings);
            regions[region.Key] = settings;
        }

        options.Regions = regions;
    }
}

using System.Globalization;

namespace OrderProcessor.Simulator.Control;

/// <summary>
/// Reads durations of the control API: "hh:mm:ss" with any number of hours ("25:00:00" is a day and an hour, where
/// TimeSpan.Parse would read 25 days), and TimeSpan's own forms otherwise ("1.01:00:00", "00:00:05.5").
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var parts = text.Split(':');
        if (parts.Length == 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours))
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes > 59
                || !decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds >= 60)
                return false;
            duration = TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
    }
}

namespace OrderProcessor.Brokerage.Availability;

/// <summary>A weekly window: the local day it starts on, its local start time and its length.</summary>
public sealed class WeeklyMaintenanceWindowOptions : MaintenanceWindowOptions
{
    public DayOfWeek Day { get; set; } = DayOfWeek.Saturday;
}

namespace OrderProcessor.Brokerage.Availability;

/// <summary>A daily window: local start time and length (elapsed time, so a window over a DST change keeps its length).</summary>
public class MaintenanceWindowOptions
{
    public TimeOnly Start { get; set; } = new(0, 55);

    public TimeSpan Length { get; set; } = TimeSpan.FromMinutes(20);
}

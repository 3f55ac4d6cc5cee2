namespace OrderProcessor.Simulator.Maintenance;

/// <summary>Answer of <c>GET /__sim/maintenance</c>: whether a window is on, until when (simulator clock), and what refused calls get.</summary>
public sealed record MaintenanceReport(bool Active, DateTimeOffset? Until, MaintenanceAnswer Answer, long Refusals);

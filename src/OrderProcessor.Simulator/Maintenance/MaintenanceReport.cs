namespace OrderProcessor.Simulator.Maintenance;

/// <summary>
/// Answer of <c>GET /__sim/maintenance</c>: whether a window is on, until when (simulator clock), for which users (null:
/// everyone), what refused calls get, and how many requests windows answered.
/// </summary>
public sealed record MaintenanceReport(bool Active, DateTimeOffset? Until, MaintenanceAnswer Answer, long Refusals, IReadOnlyList<string>? Users = null);

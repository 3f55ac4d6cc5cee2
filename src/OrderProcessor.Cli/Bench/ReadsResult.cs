namespace OrderProcessor.Cli.Bench;

/// <summary>
/// Steady-state REST reads of live orders per user per minute, counted from the simulator's per-user request log while
/// each user had one resting order and (ideally) a healthy socket.
/// </summary>
public sealed record ReadsResult(int Users, int UsersStreaming, TimeSpan Window, double MeanPerUserPerMinute, double MaxPerUserPerMinute);

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// At most <see cref="Limit"/> requests in any <see cref="Window"/>, counted per <see cref="Key"/>. The egress IP's rule
/// (<see cref="EgressIp"/>) is also paused, probed and ramped after a 429 and split between the processes behind the IP.
/// </summary>
internal sealed record PacingRule(string Key, int Limit, TimeSpan Window, bool EgressIp = false);

using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>How the outbox relay publishes (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 5000, ErrorMessage = "Outbox:BatchSize must be between 1 and 5000.")]
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the relay looks for rows when nothing woke it (rows written by another instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Outbox:PollInterval must be between 10 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may take before it counts as failed and the row is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Outbox:PublishTimeout must be between 1 s and 5 min.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait before a failed row is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Outbox:MaxBackoff must be between 100 ms and 1 hour.")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On a clean stop, how long the relay keeps publishing what is left (the drained IBKR calls' events among it)
    /// before the bus stops. What it does not get to stays in the outbox for the other instances' relays.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "Outbox:ShutdownFlushTimeout must be between 0 and 5 min.")]
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Age of the oldest unpublished event at which readiness reports Degraded.</summary>
    public TimeSpan LagDegradedAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Age of the oldest unpublished event at which readiness reports Unhealthy.</summary>
    public TimeSpan LagUnhealthyAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether this instance runs a relay (several instances may).</summary>
    public bool RelayEnabled { get; set; } = true;
}

using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>How the outbox relay publishes (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 5000, ErrorMessage = "Outbox:BatchSize must be between 1 and 5000.")]
    public int BatchSize { get; set; } = 200;

    /// <summary>How often the relay looks for rows when nothing woke it (rows written by another instance).</summary>
    [RangeOf<TimeSpan>("00:00:00.010", "00:10:00", ErrorMessage = "Outbox:PollInterval must be between 10 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may take before it counts as failed and the row is retried.</summary>
    [RangeOf<TimeSpan>("00:00:01", "00:05:00", ErrorMessage = "Outbox:PublishTimeout must be between 1 s and 5 min.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait before a failed row is tried again.</summary>
    [RangeOf<TimeSpan>("00:00:00.100", "01:00:00", ErrorMessage = "Outbox:MaxBackoff must be between 100 ms and 1 hour.")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On a clean stop, how long the relay keeps publishing what is left (the drained IBKR calls' events among it)
    /// before the bus stops. What it does not get to stays in the outbox for the other instances' relays.
    /// </summary>
    [RangeOf<TimeSpan>("00:00:00", "00:05:00", ErrorMessage = "Outbox:ShutdownFlushTimeout must be between 0 and 5 min.")]
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest event body the relay publishes, in bytes (UTF-8). A larger row is parked instead: RabbitMQ closes the
    /// channel on a message over its own <c>max_message_size</c>, so keep this at or under the broker's limit.
    /// </summary>
    [Range(1024, 134_217_728, ErrorMessage = "Outbox:MaxBodyBytes must be between 1024 and 134217728 (128 MiB, RabbitMQ's upper bound).")]
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// After this many failed publishes a row is parked, if the broker meanwhile took other events (a broker outage
    /// parks nothing). With the default backoff, 20 attempts are about 7 minutes of retries.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Outbox:ParkAfterAttempts must be between 1 and 100000.")]
    public int ParkAfterAttempts { get; set; } = 20;

    /// <summary>Age of the oldest unpublished event at which readiness reports Degraded.</summary>
    public TimeSpan LagDegradedAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Age of the oldest unpublished event at which readiness reports Unhealthy.</summary>
    public TimeSpan LagUnhealthyAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether this instance runs a relay (several instances may).</summary>
    public bool RelayEnabled { get; set; } = true;
}

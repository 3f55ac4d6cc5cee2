using System.ComponentModel.DataAnnotations;
using OrderProcessor.Orders;

namespace OrderProcessor.Configuration;

/// <summary>How the processor works orders at IBKR (section <c>Lifecycle</c>).</summary>
public sealed class LifecycleOptions
{
    public const string Section = "Lifecycle";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Lifecycle:WorkLease must be between 1 s and 10 min.")]
    public TimeSpan WorkLease { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 100, ErrorMessage = "Lifecycle:MaxSubmitAttempts must be between 1 and 100.")]
    public int MaxSubmitAttempts { get; set; } = 6;

    [Range(1, 20, ErrorMessage = "Lifecycle:ReconcileMissesBeforeResend must be between 1 and 20.")]
    public int ReconcileMissesBeforeResend { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Lifecycle:ReconcileInterval must be between 100 ms and 5 min.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00", ErrorMessage = "Lifecycle:RetryDelay must be between 10 ms and 5 min.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Lifecycle:MaxRetryDelay must be between 10 ms and 1 h.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(decimal), "0.01", "1", ErrorMessage = "Lifecycle:MaxInitialMarginShareOfEquity must be between 0.01 and 1.")]
    public decimal MaxInitialMarginShareOfEquity { get; set; } = 0.5m;

    /// <summary>How often the worker looks for due work when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "Lifecycle:WorkPollInterval must be between 10 ms and 1 min.")]
    public TimeSpan WorkPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>IBKR calls the worker runs at once (each user's calls are serialised by the guard anyway).</summary>
    [Range(1, 512, ErrorMessage = "Lifecycle:MaxConcurrentWork must be between 1 and 512.")]
    public int MaxConcurrentWork { get; set; } = 64;

    /// <summary>How often each user with live orders has them read from IBKR (IBKR allows 1 per 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Lifecycle:StatusPollInterval must be between 100 ms and 10 min.")]
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long this instance holds a user's IBKR session without renewing it; after that another instance may take the user over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Lifecycle:UserLeaseDuration must be between 1 s and 10 min.")]
    public TimeSpan UserLeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>This instance's id in the user-session leases (default: machine, process and a random part).</summary>
    [MaxLength(64, ErrorMessage = "Lifecycle:InstanceId must be at most 64 characters.")]
    public string? InstanceId { get; set; }

    public LifecycleSettings ToSettings() => new()
    {
        WorkLease = WorkLease,
        MaxSubmitAttempts = MaxSubmitAttempts,
        ReconcileMissesBeforeResend = ReconcileMissesBeforeResend,
        ReconcileInterval = ReconcileInterval,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        MaxInitialMarginShareOfEquity = MaxInitialMarginShareOfEquity,
    };
}

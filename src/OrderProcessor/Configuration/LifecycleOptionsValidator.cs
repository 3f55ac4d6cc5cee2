using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Configuration;

/// <summary>
/// Checks the lifecycle's timings against the guard's: every IBKR call of a worker or a poll runs under a deadline
/// inside its lease (<see cref="LifecycleOptions.CallDeadline"/>), so the lease must leave room for the longest single
/// attempt the guard can make, a bearer-token request included. Otherwise a lease would end while its call is still
/// under way and another worker would take the order up meanwhile.
/// </summary>
public sealed class LifecycleOptionsValidator(IOptions<BrokerageOptions> brokerage) : IValidateOptions<LifecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, LifecycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var guard = brokerage.Value;
        var failures = new List<string>();
        var longestCall = guard.Timeouts.Attempt + guard.Timeouts.Total;
        if (LifecycleOptions.CallDeadline(options.WorkLease) < longestCall)
        {
            failures.Add($"Lifecycle:WorkLease ({options.WorkLease}) must leave room for the longest IBKR call the guard can make: " +
                $"{LifecycleOptions.DeadlineShare:P0} of it must be at least Brokerage:Timeouts:Attempt + Brokerage:Timeouts:Total ({longestCall}). " +
                "Raise Lifecycle__WorkLease or lower those timeouts.");
        }

        var longestPoll = guard.Timeouts.Attempt + guard.Pacing.LiveOrdersInterval;
        if (LifecycleOptions.CallDeadline(options.UserLeaseDuration) < longestPoll)
        {
            failures.Add($"Lifecycle:UserLeaseDuration ({options.UserLeaseDuration}) must outlive the longest status poll: " +
                $"{LifecycleOptions.DeadlineShare:P0} of it must be at least Brokerage:Timeouts:Attempt + Brokerage:Pacing:LiveOrdersInterval ({longestPoll}). " +
                "Raise Lifecycle__UserLeaseDuration or lower those timeouts.");
        }

        if (options.MaxConcurrentWorkPerUser > options.MaxConcurrentWork)
        {
            failures.Add($"Lifecycle:MaxConcurrentWorkPerUser ({options.MaxConcurrentWorkPerUser}) must be at most Lifecycle:MaxConcurrentWork ({options.MaxConcurrentWork}).");
        }

        if (options.MaxRetryDelay < options.RetryDelay)
        {
            failures.Add("Lifecycle:MaxRetryDelay must be at least Lifecycle:RetryDelay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

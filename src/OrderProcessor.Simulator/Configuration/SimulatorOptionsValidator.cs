using Microsoft.Extensions.Options;

namespace OrderProcessor.Simulator.Configuration;

/// <summary>Refuses to start with settings the simulator cannot honour, naming the setting at fault.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string s = SimulatorOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.PartnerClientId))
            failures.Add($"{s}:PartnerClientId must not be empty.");
        if (options.PartnerApiKey is null || options.PartnerApiKey.Length < 32)
            failures.Add($"{s}:PartnerApiKey must be at least 32 characters (HS256 key).");
        RequirePositive(options.BearerTokenLifetime, nameof(options.BearerTokenLifetime));
        RequirePositive(options.SessionIdleTimeout, nameof(options.SessionIdleTimeout));
        RequirePositive(options.MarketTickInterval, nameof(options.MarketTickInterval));
        if (options.LiveOrdersMinInterval < TimeSpan.Zero)
            failures.Add($"{s}:LiveOrdersMinInterval must not be negative.");
        if (options.TickleMinInterval < TimeSpan.Zero)
            failures.Add($"{s}:TickleMinInterval must not be negative.");
        RequirePositive(options.DuplicateClientOrderIdWindow, nameof(options.DuplicateClientOrderIdWindow));
        if (options.LiveOrdersListingLag < TimeSpan.Zero)
            failures.Add($"{s}:LiveOrdersListingLag must not be negative.");
        if (options.PerUserRequestsPerSecond <= 0)
            failures.Add($"{s}:PerUserRequestsPerSecond must be greater than 0.");
        if (options.PerIpRequestsPerSecond < 0)
            failures.Add($"{s}:PerIpRequestsPerSecond must not be negative (0: no per-IP limit).");
        if (options.PenaltyBoxAfter429s < 0)
            failures.Add($"{s}:PenaltyBoxAfter429s must not be negative (0: no penalty box).");
        RequirePositive(options.PenaltyBoxCountWindow, nameof(options.PenaltyBoxCountWindow));
        RequirePositive(options.PenaltyBoxDuration, nameof(options.PenaltyBoxDuration));
        if (options.MaxWorkingOrdersPerContractSide < 0)
            failures.Add($"{s}:MaxWorkingOrdersPerContractSide must not be negative (0: no limit).");
        if (string.IsNullOrWhiteSpace(options.WorkingOrdersLimitText))
            failures.Add($"{s}:WorkingOrdersLimitText must not be empty.");
        if (!Enum.IsDefined(options.CashQuantityEnding))
            failures.Add($"{s}:CashQuantityEnding must be Filled or CancelledWhenSpent.");
        if (!Enum.IsDefined(options.MaintenanceAnswer))
            failures.Add($"{s}:MaintenanceAnswer must be ServiceUnavailable, Unauthorized or NoBridge.");
        if (options.AccountEquity <= 0)
            failures.Add($"{s}:AccountEquity must be greater than 0.");
        if (options.InitialMarginRate is <= 0 or > 1)
            failures.Add($"{s}:InitialMarginRate must be in (0, 1].");
        if (options.MaintenanceMarginRate is <= 0 or > 1)
            failures.Add($"{s}:MaintenanceMarginRate must be in (0, 1].");
        if (options.PriceDeviationLimit <= 0)
            failures.Add($"{s}:PriceDeviationLimit must be greater than 0.");
        if (options.SingleSliceMaxQuantity <= 0)
            failures.Add($"{s}:SingleSliceMaxQuantity must be greater than 0.");
        if (options.Stream is null)
        {
            failures.Add($"{s}:Stream must not be empty.");
        }
        else
        {
            RequirePositive(options.Stream.HeartbeatInterval, "Stream:HeartbeatInterval");
            if (options.Stream.SuccessDelay < TimeSpan.Zero)
                failures.Add($"{s}:Stream:SuccessDelay must not be negative.");
            if (options.Stream.FragmentBytes <= 0)
                failures.Add($"{s}:Stream:FragmentBytes must be greater than 0.");
            if (options.Stream.ExecutionsPerFrame <= 0)
                failures.Add($"{s}:Stream:ExecutionsPerFrame must be greater than 0.");
        }

        foreach (var (userId, accounts) in options.Users)
        {
            if (accounts is null || accounts.Length == 0 || accounts.Any(string.IsNullOrWhiteSpace))
                failures.Add($"{s}:Users:{userId} must list at least one non-empty account id.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void RequirePositive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
                failures.Add($"{s}:{setting} must be greater than zero.");
        }
    }
}

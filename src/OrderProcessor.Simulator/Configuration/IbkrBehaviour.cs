using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Configuration;

/// <summary>
/// The IBKR rules a test may switch while the simulator runs (<c>PATCH /__sim/behaviour</c>). They start from the
/// configuration; see <see cref="SimulatorOptions"/> for what each one means.
/// </summary>
public sealed record IbkrBehaviour(
    bool UninitialisedTokensShareSession,
    TimeSpan DuplicateClientOrderIdWindow,
    DuplicateCheckPoint DuplicateClientOrderIdCheck,
    bool FirstLiveOrdersCallEmpty,
    TimeSpan LiveOrdersListingLag,
    bool LiveOrdersRepeatEntries,
    bool LiveOrdersIncludeEndedBetweenSessions,
    StatusUnavailableScope OrderStatusUnavailableFor,
    ModifyClientOrderIdRule ModifyClientOrderId,
    int MaxWorkingOrdersPerContractSide = IbkrRules.DefaultMaxWorkingOrdersPerContractSide,
    MaintenanceAnswer MaintenanceAnswer = MaintenanceAnswer.ServiceUnavailable,
    CashQuantityEnding CashQuantityEnding = CashQuantityEnding.Filled)
{
    public static IbkrBehaviour From(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(
            options.UninitialisedTokensShareSession,
            options.DuplicateClientOrderIdWindow,
            options.DuplicateClientOrderIdCheck,
            options.FirstLiveOrdersCallEmpty,
            options.LiveOrdersListingLag,
            options.LiveOrdersRepeatEntries,
            options.LiveOrdersIncludeEndedBetweenSessions,
            options.OrderStatusUnavailableFor,
            options.ModifyClientOrderId,
            options.MaxWorkingOrdersPerContractSide,
            options.MaintenanceAnswer,
            options.CashQuantityEnding);
    }

    /// <summary>Why these settings cannot be honoured, or null.</summary>
    public string? Problem()
    {
        if (DuplicateClientOrderIdWindow <= TimeSpan.Zero)
            return "duplicateClientOrderIdWindow must be greater than zero";
        if (MaxWorkingOrdersPerContractSide < 0)
            return "maxWorkingOrdersPerContractSide must not be negative (0: no limit)";
        return LiveOrdersListingLag < TimeSpan.Zero ? "liveOrdersListingLag must not be negative" : null;
    }
}

using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Rules;

namespace OrderProcessor.Simulator.Control;

/// <summary>Body of <c>PATCH /__sim/behaviour</c>: only the given fields change. Durations as in <see cref="DurationText"/>.</summary>
public sealed record BehaviourPatch(
    bool? UninitialisedTokensShareSession = null,
    string? DuplicateClientOrderIdWindow = null,
    DuplicateCheckPoint? DuplicateClientOrderIdCheck = null,
    bool? FirstLiveOrdersCallEmpty = null,
    string? LiveOrdersListingLag = null,
    bool? LiveOrdersRepeatEntries = null,
    bool? LiveOrdersIncludeEndedBetweenSessions = null,
    StatusUnavailableScope? OrderStatusUnavailableFor = null,
    ModifyClientOrderIdRule? ModifyClientOrderId = null,
    int? MaxWorkingOrdersPerContractSide = null,
    MaintenanceAnswer? MaintenanceAnswer = null,
    CashQuantityEnding? CashQuantityEnding = null)
{
    /// <summary>The behaviour with this patch applied, or why it cannot be.</summary>
    public (IbkrBehaviour? Behaviour, string? Problem) ApplyTo(IbkrBehaviour current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var window = current.DuplicateClientOrderIdWindow;
        if (DuplicateClientOrderIdWindow is not null && !DurationText.TryParse(DuplicateClientOrderIdWindow, out window))
            return (null, "duplicateClientOrderIdWindow must be a duration such as \"24:00:00\"");
        var lag = current.LiveOrdersListingLag;
        if (LiveOrdersListingLag is not null && !DurationText.TryParse(LiveOrdersListingLag, out lag))
            return (null, "liveOrdersListingLag must be a duration such as \"00:00:05\"");
        var patched = current with
        {
            UninitialisedTokensShareSession = UninitialisedTokensShareSession ?? current.UninitialisedTokensShareSession,
            DuplicateClientOrderIdWindow = window,
            DuplicateClientOrderIdCheck = DuplicateClientOrderIdCheck ?? current.DuplicateClientOrderIdCheck,
            FirstLiveOrdersCallEmpty = FirstLiveOrdersCallEmpty ?? current.FirstLiveOrdersCallEmpty,
            LiveOrdersListingLag = lag,
            LiveOrdersRepeatEntries = LiveOrdersRepeatEntries ?? current.LiveOrdersRepeatEntries,
            LiveOrdersIncludeEndedBetweenSessions = LiveOrdersIncludeEndedBetweenSessions ?? current.LiveOrdersIncludeEndedBetweenSessions,
            OrderStatusUnavailableFor = OrderStatusUnavailableFor ?? current.OrderStatusUnavailableFor,
            ModifyClientOrderId = ModifyClientOrderId ?? current.ModifyClientOrderId,
            MaxWorkingOrdersPerContractSide = MaxWorkingOrdersPerContractSide ?? current.MaxWorkingOrdersPerContractSide,
            MaintenanceAnswer = MaintenanceAnswer ?? current.MaintenanceAnswer,
            CashQuantityEnding = CashQuantityEnding ?? current.CashQuantityEnding,
        };
        var problem = patched.Problem();
        return problem is null ? (patched, null) : (null, problem);
    }
}

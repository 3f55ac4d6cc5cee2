namespace OrderProcessor.Persistence;

/// <summary>
/// A process sharing an egress IP's IBKR budget (table <c>egress_budget_members</c>): each live member (heartbeat
/// younger than <c>Brokerage:Pacing:SharedBudgetMemberTimeout</c>) takes the budget divided by the number of live members.
/// </summary>
public sealed class EgressBudgetMember
{
    /// <summary>The egress IP (<c>Brokerage:PiTrade:EgressIp</c>, or "default").</summary>
    public string EgressKey { get; set; } = string.Empty;

    /// <summary>This very process (a new id at every start).</summary>
    public Guid MemberId { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }
}

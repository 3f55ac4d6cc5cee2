using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>Work the broker worker claimed: the leader of a submission group and what to do for it.</summary>
public sealed record ClaimedWork(Guid LeaderId, OrderWork Work, string UserId, string AccountId, string? TraceParent);

using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>An active trading halt (kill switch) that covers an order, as the claim sees it.</summary>
public sealed record HaltView(Guid HaltId, HaltScope Scope, string ScopeKey, string Reason, DateTimeOffset HaltedAt, string? HaltedBy);

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// What the unit of work needs to refuse a command before deciding it: its name, what it acts for (read in the
/// transaction: for a cancel or modify, the order's own user and account), and how to answer a refusal (an
/// OrderRejected outside any order's chain; for a margin check, also the response to the requester).
/// <paramref name="UserGrantsApply"/> false: the command acts for no single user (a trading halt), so the per-user grants do
/// not judge it; its consumer authorizes it itself (<c>Upstreams:TradingControl</c>).
/// </summary>
public sealed record CommandGate(
    string Command,
    Func<OrderProcessorDbContext, CancellationToken, Task<UpstreamSubject>> SubjectOf,
    Func<RejectionReasonCode, string, IReadOnlyList<FieldViolation>, EventStamp, OrderDecision> Refuse,
    bool UserGrantsApply = true);

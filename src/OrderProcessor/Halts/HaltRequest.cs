using OrderProcessor.Contracts;

namespace OrderProcessor.Halts;

/// <summary>A halt asked for by the CLI or a <see cref="HaltTrading"/> command.</summary>
public sealed record HaltRequest(Guid HaltId, HaltScope Scope, string? AccountId, string? UserId, string Reason, bool CancelWorking, string? By)
{
    public static HaltRequest From(HaltTrading command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new(command.HaltId, command.Scope, command.AccountId, command.UserId, command.Reason, command.CancelWorking, command.RequestedBy);
    }
}

/// <summary>A resume asked for by the CLI or a <see cref="ResumeTrading"/> command.</summary>
public sealed record ResumeRequest(Guid ResumeId, HaltScope Scope, string? AccountId, string? UserId, string? Reason, string? By)
{
    public static ResumeRequest From(ResumeTrading command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new(command.ResumeId, command.Scope, command.AccountId, command.UserId, command.Reason, command.RequestedBy);
    }
}

/// <summary>
/// What a halt or resume did: the halt row it concerns (null when refused), whether the row changed, and the decision whose
/// event answers it (<see cref="TradingHalted"/>, <see cref="TradingResumed"/>, or an <see cref="OrderRejected"/> when refused).
/// </summary>
public sealed record HaltOutcome(Persistence.TradingHaltRow? Halt, bool Changed, Orders.OrderDecision Decision, string? Refusal);

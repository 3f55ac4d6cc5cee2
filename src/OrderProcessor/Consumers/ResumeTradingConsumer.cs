using Microsoft.Extensions.Options;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Ends the halt of a scope from the bus; answered by <see cref="TradingResumed"/>, or an OrderRejected (<c>NotFound</c>
/// when the scope is not halted).
/// </summary>
public sealed partial class ResumeTradingConsumer(ConsumerUnitOfWork unitOfWork, IOptions<UpstreamOptions> upstreamOptions, ILogger<ResumeTradingConsumer> logger)
    : TradingControlConsumer<ResumeTrading>(unitOfWork, upstreamOptions, logger)
{
    protected override string NothingDone => "resumed";

    protected override (Guid Id, string? UserId, string? AccountId) SubjectOf(ResumeTrading command) => (command.ResumeId, command.UserId, command.AccountId);

    protected override async Task<OrderDecision> DecideAsync(OrderProcessorDbContext db, ResumeTrading command, EventStamp stamp, CancellationToken cancellationToken) =>
        (await TradingHaltCommands.ResumeAsync(db, ResumeRequest.From(command), stamp, cancellationToken)).Decision;

    protected override void Announce(OrderDecision decision)
    {
        if (decision.Events.Select(e => e.Event).OfType<TradingResumed>().FirstOrDefault() is { } resumed)
        {
            LogResumed(resumed.OrderId, resumed.Scope, resumed.AccountId ?? resumed.UserId ?? "*");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trading resumed (halt {HaltId}, {Scope} {ScopeKey})")]
    private partial void LogResumed(Guid haltId, HaltScope scope, string scopeKey);
}

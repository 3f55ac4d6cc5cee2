using Microsoft.Extensions.Options;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>Halts trading for a scope (kill switch) from the bus; answered by <see cref="TradingHalted"/>.</summary>
public sealed partial class HaltTradingConsumer(ConsumerUnitOfWork unitOfWork, IOptions<UpstreamOptions> upstreamOptions, ILogger<HaltTradingConsumer> logger)
    : TradingControlConsumer<HaltTrading>(unitOfWork, upstreamOptions, logger)
{
    protected override string NothingDone => "halted";

    protected override (Guid Id, string? UserId, string? AccountId) SubjectOf(HaltTrading command) => (command.HaltId, command.UserId, command.AccountId);

    protected override async Task<OrderDecision> DecideAsync(OrderProcessorDbContext db, HaltTrading command, EventStamp stamp, CancellationToken cancellationToken) =>
        (await TradingHaltCommands.HaltAsync(db, HaltRequest.From(command), stamp, cancellationToken)).Decision;

    protected override void Announce(OrderDecision decision)
    {
        if (decision.Events.Select(e => e.Event).OfType<TradingHalted>().FirstOrDefault() is { } halted)
        {
            LogHalted(halted.OrderId, halted.Scope, halted.AccountId ?? halted.UserId ?? "*", halted.Reason, halted.CancelWorking);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trading halted (halt {HaltId}, {Scope} {ScopeKey}, cancel working: {CancelWorking}): {Reason}")]
    private partial void LogHalted(Guid haltId, HaltScope scope, string scopeKey, string reason, bool cancelWorking);
}

using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Halts trading for a scope (kill switch) from the bus: once per message id (the inbox), only for the upstreams listed
/// in <c>Upstreams:TradingControl</c> (others get an OrderRejected <c>UpstreamNotAuthorized</c>). Answered by
/// <see cref="TradingHalted"/> (also as the response to a request).
/// </summary>
public sealed partial class HaltTradingConsumer(ConsumerUnitOfWork unitOfWork, IOptions<UpstreamOptions> upstreamOptions, ILogger<HaltTradingConsumer> logger)
    : IConsumer<HaltTrading>
{
    public async Task Consume(ConsumeContext<HaltTrading> context)
    {
        var command = context.Message;
        var gate = TradingControlGate.For(nameof(HaltTrading), command.HaltId, command.UserId, command.AccountId, context);
        var decision = await unitOfWork.RunAsync(context, nameof(HaltTradingConsumer), gate, async (db, stamp) =>
        {
            var upstream = UpstreamAuthorization.UpstreamOf(context);
            if (!upstreamOptions.Value.MayControlTrading(upstream))
            {
                LogNotAuthorized(nameof(HaltTrading), upstream ?? "(none)");
                return gate.Refuse(RejectionReasonCode.UpstreamNotAuthorized,
                    $"upstream '{OrderLimits.Clip(upstream) ?? "(none)"}' may not halt or resume trading (Upstreams:TradingControl); nothing was halted.", [], stamp);
            }

            var outcome = await TradingHaltCommands.HaltAsync(db, HaltRequest.From(command), stamp, context.CancellationToken);
            return outcome.Decision.RespondTo(context.ResponseAddress, context.RequestId);
        });

        if (decision?.Events.Select(e => e.Event).OfType<TradingHalted>().FirstOrDefault() is { } halted)
        {
            LogHalted(halted.OrderId, halted.Scope, halted.AccountId ?? halted.UserId ?? "*", halted.Reason, halted.CancelWorking);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trading halted (halt {HaltId}, {Scope} {ScopeKey}, cancel working: {CancelWorking}): {Reason}")]
    private partial void LogHalted(Guid haltId, HaltScope scope, string scopeKey, string reason, bool cancelWorking);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} from upstream {Upstream} refused: not listed in Upstreams:TradingControl")]
    private partial void LogNotAuthorized(string command, string upstream);
}

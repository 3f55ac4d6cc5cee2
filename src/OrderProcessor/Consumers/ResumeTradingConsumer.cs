using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// Ends the halt of a scope from the bus: once per message id, only for the upstreams of <c>Upstreams:TradingControl</c>.
/// Answered by <see cref="TradingResumed"/>, or an OrderRejected (<c>NotFound</c> when the scope is not halted).
/// </summary>
public sealed partial class ResumeTradingConsumer(ConsumerUnitOfWork unitOfWork, IOptions<UpstreamOptions> upstreamOptions, ILogger<ResumeTradingConsumer> logger)
    : IConsumer<ResumeTrading>
{
    public async Task Consume(ConsumeContext<ResumeTrading> context)
    {
        var command = context.Message;
        var gate = TradingControlGate.For(nameof(ResumeTrading), command.ResumeId, command.UserId, command.AccountId, context);
        var decision = await unitOfWork.RunAsync(context, nameof(ResumeTradingConsumer), gate, async (db, stamp) =>
        {
            var upstream = UpstreamAuthorization.UpstreamOf(context);
            if (!upstreamOptions.Value.MayControlTrading(upstream))
            {
                LogNotAuthorized(nameof(ResumeTrading), upstream ?? "(none)");
                return gate.Refuse(RejectionReasonCode.UpstreamNotAuthorized,
                    $"upstream '{OrderLimits.Clip(upstream) ?? "(none)"}' may not halt or resume trading (Upstreams:TradingControl); nothing was resumed.", [], stamp);
            }

            var outcome = await TradingHaltCommands.ResumeAsync(db, ResumeRequest.From(command), stamp, context.CancellationToken);
            return outcome.Decision.RespondTo(context.ResponseAddress, context.RequestId);
        });

        if (decision?.Events.Select(e => e.Event).OfType<TradingResumed>().FirstOrDefault() is { } resumed)
        {
            LogResumed(resumed.OrderId, resumed.Scope, resumed.AccountId ?? resumed.UserId ?? "*");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trading resumed (halt {HaltId}, {Scope} {ScopeKey})")]
    private partial void LogResumed(Guid haltId, HaltScope scope, string scopeKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} from upstream {Upstream} refused: not listed in Upstreams:TradingControl")]
    private partial void LogNotAuthorized(string command, string upstream);
}

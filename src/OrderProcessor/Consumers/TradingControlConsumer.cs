using MassTransit;
using Microsoft.Extensions.Options;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// What HaltTrading and ResumeTrading share: once per message id (the inbox), only for the upstreams listed in
/// <c>Upstreams:TradingControl</c> (others get an OrderRejected <c>UpstreamNotAuthorized</c>, nothing changed), the
/// decision answered to a request as well as published.
/// </summary>
public abstract partial class TradingControlConsumer<TCommand>(ConsumerUnitOfWork unitOfWork, IOptions<UpstreamOptions> upstreamOptions, ILogger logger)
    : IConsumer<TCommand>
    where TCommand : class
{
    /// <summary>What a refused command did not do, for its message ("halted", "resumed").</summary>
    protected abstract string NothingDone { get; }

    /// <summary>The command's id and the scope it names.</summary>
    protected abstract (Guid Id, string? UserId, string? AccountId) SubjectOf(TCommand command);

    /// <summary>The command's effect, decided in the consumer's transaction.</summary>
    protected abstract Task<OrderDecision> DecideAsync(OrderProcessorDbContext db, TCommand command, EventStamp stamp, CancellationToken cancellationToken);

    /// <summary>Logs what the committed decision did.</summary>
    protected abstract void Announce(OrderDecision decision);

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var name = typeof(TCommand).Name;
        var (id, userId, accountId) = SubjectOf(command);
        var gate = TradingControlGate.For(name, id, userId, accountId, context);
        var decision = await unitOfWork.RunAsync(context, GetType().Name, gate, async (db, stamp) =>
        {
            var upstream = UpstreamAuthorization.UpstreamOf(context);
            if (!upstreamOptions.Value.MayControlTrading(upstream))
            {
                LogNotAuthorized(logger, name, upstream ?? "(none)");
                return gate.Refuse(RejectionReasonCode.UpstreamNotAuthorized,
                    $"upstream '{OrderLimits.Clip(upstream) ?? "(none)"}' may not halt or resume trading (Upstreams:TradingControl); nothing was {NothingDone}.", [], stamp);
            }

            var decided = await DecideAsync(db, command, stamp, context.CancellationToken);
            return decided.RespondTo(context.ResponseAddress, context.RequestId);
        });

        if (decision is not null)
        {
            Announce(decision);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} from upstream {Upstream} refused: not listed in Upstreams:TradingControl")]
    private static partial void LogNotAuthorized(ILogger logger, string command, string upstream);
}

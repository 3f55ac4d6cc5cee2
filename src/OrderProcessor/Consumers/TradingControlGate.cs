using MassTransit;
using OrderProcessor.Orders;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>
/// The gate of HaltTrading and ResumeTrading: refusals are OrderRejected outside every chain under the command's id (also
/// the response to a request); the per-user grants do not apply (the consumer checks <c>Upstreams:TradingControl</c>).
/// </summary>
public static class TradingControlGate
{
    public static CommandGate For(string command, Guid id, string? userId, string? accountId, ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new CommandGate(command,
            (_, _) => Task.FromResult(new UpstreamSubject(userId, accountId)),
            (code, reason, violations, stamp) => CommandRefusal.Of(id, command, userId, accountId, code, reason, violations, stamp)
                .RespondTo(context.ResponseAddress, context.RequestId),
            UserGrantsApply: false);
    }
}

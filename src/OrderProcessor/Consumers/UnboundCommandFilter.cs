using System.Diagnostics;
using System.Runtime.ExceptionServices;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace OrderProcessor.Consumers;

/// <summary>
/// Sits on a command endpoint before its consumer. When MassTransit cannot bind the message to <typeparamref name="TCommand"/>
/// (a price as a word, a conid as a string, a number beyond its type) and the command's id can still be read, the
/// command is answered like any refusal, with an OrderRejected (<c>ValidationFailed</c>, the field, rule <c>type</c>)
/// through the unit of work and the outbox, and acknowledged. Only a message whose id cannot be read (or that is not a
/// JSON envelope at all) faults to <c>_error</c>, as before.
/// </summary>
public sealed partial class UnboundCommandFilter<TCommand>(ConsumerUnitOfWork unitOfWork, UnboundCommandRoute route, ILogger logger) : IFilter<ConsumeContext>
    where TCommand : class, new()
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        bool bound;
        Exception? failure = null;
        try
        {
            // MassTransit keeps what it binds here: the consumer's own read later costs nothing.
            bound = context.TryGetMessage<TCommand>(out _);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            (bound, failure) = (false, exception);
        }

        if (bound || (failure is null && !context.HasMessageType(typeof(TCommand))))
        {
            await next.Send(context);
            return;
        }

        var explained = CommandBinding.Explain<TCommand>(context.ReceiveContext.Body.GetBytes(), route.IdProperty, SystemTextJsonMessageSerializer.Options);
        if (explained?.Command is not { } command)
        {
            if (explained is not null)
            {
                LogUnreadableId(typeof(TCommand).Name, route.IdProperty, explained.Field);
            }

            // Not ours to answer: the message faults to _error as any unreadable message does.
            if (failure is not null)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            await next.Send(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await DatabaseRetry.RunAsync(() => unitOfWork.RefuseUnboundAsync(context, route.Consumer, route.Gate(command, context), command, route.ExistingIdConflicts), context.CancellationToken);

        // Consumed, not skipped: without this MassTransit would move the message to _skipped as one no consumer took.
        await context.NotifyConsumed(new MessageConsumeContext<TCommand>(context, new TCommand()), Stopwatch.GetElapsedTime(started), route.Consumer);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("unbound-command");

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} does not bind ({Field}) and its {IdProperty} cannot be read: it faults to _error unanswered")]
    private partial void LogUnreadableId(string command, string idProperty, string field);
}

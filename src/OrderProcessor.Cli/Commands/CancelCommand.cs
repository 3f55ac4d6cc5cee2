using System.CommandLine;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders cancel &lt;order-id&gt;</c>: publishes a CancelOrder and, with --wait, follows the order until the cancel is settled.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var orderId = new Argument<Guid>("order-id") { Description = "The order to cancel (a GUID)." };
        var user = new Option<string>("--user") { Description = "The user who owns the order.", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail." };
        var wait = new Option<bool>("--wait", "-w") { Description = "Print the order's events until it is cancelled (or filled first, or the cancel is rejected), or --timeout passes." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait.", DefaultValueFactory = _ => 30 };

        var command = new Command("cancel",
            "Publish a CancelOrder. With --wait: exit 0 when cancelled, 1 when not (rejected, or filled before the cancel reached IBKR), 5 when --timeout passed first.")
        {
            orderId, user, reason, wait, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(timeout) < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--timeout must be at least 1 second[/]");
                return ExitCodes.Usage;
            }

            var cancel = new CancelOrder { OrderId = parse.GetValue(orderId), UserId = parse.GetValue(user), Reason = parse.GetValue(reason) };
            var settings = CliSettings.Load();
            var stream = new EventStream();
            var follower = new OrderEventFollower(stream, cancel.OrderId, e => e is OrderCancelled or OrderFilled or OrderRejected or OrderFailed);
            await using var bus = await CliBus.StartAsync(settings, parse.GetValue(wait) ? stream.Configure : null, cancellationToken);
            await bus.Publisher.Publish(cancel, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"published CancelOrder for [bold]{cancel.OrderId}[/] to {settings.BrokerDescription}");
            if (!parse.GetValue(wait))
            {
                return ExitCodes.Success;
            }

            var ended = await follower.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
            if (ended is null)
            {
                ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]the cancel is not settled after {parse.GetValue(timeout)} s; `orders show {cancel.OrderId}` tells where the order is[/]");
                return ExitCodes.Timeout;
            }

            return ended is OrderCancelled ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}

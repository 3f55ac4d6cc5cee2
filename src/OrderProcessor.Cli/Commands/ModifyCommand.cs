using System.CommandLine;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders modify &lt;order-id&gt;</c>: publishes a ModifyOrder and, with --wait, follows the order until IBKR accepted or refused it.</summary>
public static class ModifyCommand
{
    public static Command Create()
    {
        var orderId = new Argument<Guid>("order-id") { Description = "The working order to change (a GUID)." };
        var user = new Option<string>("--user") { Description = "The user who owns the order.", Required = true };
        var quantity = new Option<decimal?>("--quantity", "-q") { Description = "New total quantity." };
        var limit = new Option<decimal?>("--limit") { Description = "New limit price." };
        var stop = new Option<decimal?>("--stop") { Description = "New stop price." };
        var trail = new Option<decimal?>("--trail") { Description = "New trailing amount." };
        var tif = EnumOption.Optional<TimeInForce>("--tif", "New time in force.");
        var wait = new Option<bool>("--wait", "-w") { Description = "Print the order's events until the modification is accepted or refused, or --timeout passes." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait.", DefaultValueFactory = _ => 30 };

        var command = new Command("modify",
            "Publish a ModifyOrder: fields left out keep their values. With --wait: exit 0 when modified, 1 when refused or the order ended first, 5 when --timeout passed first.")
        {
            orderId, user, quantity, limit, stop, trail, tif, wait, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var modify = new ModifyOrder
            {
                OrderId = parse.GetValue(orderId),
                UserId = parse.GetValue(user),
                Quantity = parse.GetValue(quantity),
                LimitPrice = parse.GetValue(limit),
                StopPrice = parse.GetValue(stop),
                TrailingAmount = parse.GetValue(trail),
                TimeInForce = parse.GetValue(tif),
            };

            if (modify is { Quantity: null, LimitPrice: null, StopPrice: null, TrailingAmount: null, TimeInForce: null })
            {
                ConsoleFor.Errors.MarkupLine("[red]name at least one change: --quantity, --limit, --stop, --trail or --tif[/]");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(timeout) < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--timeout must be at least 1 second[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            var stream = new EventStream();
            var follower = new OrderEventFollower(stream, modify.OrderId, e => e is OrderModified or OrderRejected or OrderFilled or OrderCancelled or OrderFailed);
            await using var bus = await CliBus.StartAsync(settings, parse.GetValue(wait) ? stream.Configure : null, cancellationToken);
            await bus.Publisher.Publish(modify, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"published ModifyOrder for [bold]{modify.OrderId}[/] to {settings.BrokerDescription}");
            if (!parse.GetValue(wait))
            {
                return ExitCodes.Success;
            }

            var ended = await follower.WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
            if (ended is null)
            {
                ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]the modification is not settled after {parse.GetValue(timeout)} s; `orders show {modify.OrderId}` tells where the order is[/]");
                return ExitCodes.Timeout;
            }

            return ended is OrderModified ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}

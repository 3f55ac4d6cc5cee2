using System.CommandLine;
using MassTransit;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders place</c>: publishes a PlaceOrder and, with --wait, prints its events as they come.</summary>
public static class PlaceCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "PiTrade user id.", Required = true };
        var account = new Option<string>("--account") { Description = "IBKR account id, e.g. DU1234567.", Required = true };
        var conid = new Option<int>("--conid") { Description = "IBKR contract id of the instrument.", Required = true };
        var side = EnumOption.Required<OrderSide>("--side", "Buy or sell.");
        var quantity = new Option<decimal?>("--quantity", "-q") { Description = "How many units; leave out with --cash-quantity." };
        var ticket = new TicketOptions();
        var type = EnumOption.WithDefault("--type", "Order type.", OrderType.Market, "-t");
        var limit = new Option<decimal?>("--limit") { Description = "Limit price (LMT, STOP_LIMIT, TRAILLMT; optional cap of MIDPRICE)." };
        var stop = new Option<decimal?>("--stop") { Description = "Stop price (STP, STOP_LIMIT, TRAIL, TRAILLMT)." };
        var trail = new Option<decimal?>("--trail") { Description = "Trailing amount (TRAIL, TRAILLMT)." };
        var trailUnit = EnumOption.Optional<TrailingUnit>("--trail-unit", "Unit of --trail: an amount or a percentage.");
        var tif = EnumOption.WithDefault("--tif", "Time in force.", TimeInForce.Day);
        var outsideRth = new Option<bool>("--outside-rth") { Description = "Allow working outside regular trading hours." };
        var stopLoss = new Option<decimal?>("--stop-loss") { Description = "Attach a stop-loss leg at this stop price (bracket)." };
        var takeProfit = new Option<decimal?>("--take-profit") { Description = "Attach a take-profit leg at this limit price (bracket)." };
        var margin = EnumOption.WithDefault("--margin-check", "What-if before placing, and what refuses the order.", MarginCheckPolicy.None);
        var orderId = new Option<Guid?>("--order-id") { Description = "The order id (default: a new one)." };
        var wait = new Option<bool>("--wait", "-w") { Description = "Print the order's events as they come, until it is final (exit 0 filled or cancelled, 1 rejected or failed) or --timeout passes (exit 5)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait.", DefaultValueFactory = _ => 30 };

        var command = new Command("place", "Publish a PlaceOrder command.")
        {
            user, account, conid, side, quantity, type.Option, limit, stop, trail, trailUnit, tif.Option, outsideRth, stopLoss, takeProfit, margin.Option, orderId, wait, timeout,
        };
        foreach (var option in ticket.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(timeout) < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--timeout must be at least 1 second[/]");
                return ExitCodes.Usage;
            }

            var order = ticket.AppliedTo(new PlaceOrder
            {
                OrderId = parse.GetValue(orderId) ?? Guid.NewGuid(),
                UserId = parse.GetValue(user),
                AccountId = parse.GetValue(account),
                Conid = parse.GetValue(conid),
                Side = parse.GetValue(side),
                Quantity = parse.GetValue(quantity),
                OrderType = type.ValueIn(parse),
                LimitPrice = parse.GetValue(limit),
                StopPrice = parse.GetValue(stop),
                TrailingAmount = parse.GetValue(trail),
                TrailingUnit = parse.GetValue(trailUnit),
                TimeInForce = tif.ValueIn(parse),
                OutsideRegularHours = parse.GetValue(outsideRth),
                StopLoss = parse.GetValue(stopLoss) is { } sl ? new AttachedOrder { OrderId = Guid.NewGuid(), Price = sl } : null,
                TakeProfit = parse.GetValue(takeProfit) is { } tp ? new AttachedOrder { OrderId = Guid.NewGuid(), Price = tp } : null,
                MarginCheck = margin.ValueIn(parse),
            }, parse);

            var settings = CliSettings.Load();
            var stream = new EventStream();
            await using var bus = await CliBus.StartAsync(settings, parse.GetValue(wait) ? stream.Configure : null, cancellationToken);
            var finished = new TaskCompletionSource<IOrderEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            stream.Received += (_, orderEvent) =>
            {
                if (orderEvent.OrderId != order.OrderId)
                {
                    return;
                }

                AnsiConsole.MarkupLineInterpolated($"  [grey]{orderEvent.OccurredAt:HH:mm:ss.fff}[/] #{orderEvent.Sequence} {EventText.Describe(orderEvent)}");
                if (orderEvent is OrderRejected or OrderFilled or OrderCancelled or OrderFailed)
                {
                    finished.TrySetResult(orderEvent);
                }
            };

            await bus.Publisher.Publish(order, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"published PlaceOrder [bold]{order.OrderId}[/] to {settings.BrokerDescription}");
            if (!parse.GetValue(wait))
            {
                return ExitCodes.Success;
            }

            var completed = await Task.WhenAny(finished.Task, Task.Delay(TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken));
            // Ctrl+C ends the delay too: interrupted (130), not timed out.
            cancellationToken.ThrowIfCancellationRequested();
            if (completed != finished.Task)
            {
                ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]not final after {parse.GetValue(timeout)} s; `orders show {order.OrderId}` tells where it is[/]");
                return ExitCodes.Timeout;
            }

            return finished.Task.Result is OrderRejected or OrderFailed ? ExitCodes.Failed : ExitCodes.Success;
        });
        return command;
    }
}

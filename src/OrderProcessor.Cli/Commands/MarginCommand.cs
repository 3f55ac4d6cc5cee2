using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders margin</c>: asks the processor for IBKR's what-if of an order (a MassTransit request) and prints the figures.</summary>
public static class MarginCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "PiTrade user id.", Required = true };
        var account = new Option<string>("--account") { Description = "IBKR account id, e.g. DU1234567.", Required = true };
        var conid = new Option<int>("--conid") { Description = "IBKR contract id of the instrument.", Required = true };
        var side = EnumOption.Required<OrderSide>("--side", "Buy or sell.");
        var quantity = new Option<decimal?>("--quantity", "-q") { Description = "How many units; leave out with --cash-quantity." };
        var ticket = new TicketOptions();
        var type = EnumOption.Required<OrderType>("--type", "Order type.", "-t");
        var limit = new Option<decimal?>("--limit") { Description = "Limit price (LMT, STOP_LIMIT, TRAILLMT; optional cap of MIDPRICE)." };
        var stop = new Option<decimal?>("--stop") { Description = "Stop price (STP, STOP_LIMIT, TRAIL, TRAILLMT)." };
        var tif = EnumOption.WithDefault("--tif", "Time in force.", TimeInForce.Day);
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the answer (exit 5 when none came).", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print the answer as one JSON document ({\"type\": \"MarginCheckCompleted\" or \"OrderRejected\", \"message\": {...}}); messages go to standard error." };

        var command = new Command("margin",
            "Ask IBKR's what-if, through the processor, what an order would do to the account's margin, without placing it. " +
            "Prints initial and maintenance margin and equity with loan value (current, change, after), commission, warning and error; exit code 1 when the check is rejected, 5 when no answer came in time.")
        {
            user, account, conid, side, quantity, type, limit, stop, tif.Option, timeout, json,
        };
        foreach (var option in ticket.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var asJson = parse.GetValue(json);
            var check = ticket.AppliedTo(new MarginCheck
            {
                CheckId = Guid.NewGuid(),
                UserId = parse.GetValue(user),
                AccountId = parse.GetValue(account),
                Conid = parse.GetValue(conid),
                Side = parse.GetValue(side),
                Quantity = parse.GetValue(quantity),
                OrderType = parse.GetValue(type),
                LimitPrice = parse.GetValue(limit),
                StopPrice = parse.GetValue(stop),
                TimeInForce = tif.ValueIn(parse),
            }, parse);

            var seconds = parse.GetValue(timeout);
            if (seconds < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--timeout must be at least 1 second[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            await using var bus = await CliBus.StartAsync(settings, null, cancellationToken);
            var client = bus.Bus().CreateRequestClient<MarginCheck>(RequestTimeout.After(s: seconds));
            Response<MarginCheckCompleted, OrderRejected> response;
            try
            {
                response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(check, cancellationToken);
            }
            catch (RequestTimeoutException)
            {
                ConsoleFor.Errors.MarkupLineInterpolated($"[red]no answer within {seconds} s[/]: is the processor running on {settings.BrokerDescription}?");
                return ExitCodes.Timeout;
            }

            if (response.Is(out Response<OrderRejected>? rejected))
            {
                var refusal = rejected!.Message;
                if (asJson)
                {
                    CliJson.WriteLine(new JsonObject { ["type"] = nameof(OrderRejected), ["message"] = CliJson.Message(refusal) });
                    return ExitCodes.Failed;
                }

                AnsiConsole.MarkupLineInterpolated($"[red]margin check rejected ({refusal.ReasonCode})[/]: {refusal.Reason}");
                foreach (var violation in refusal.Violations)
                {
                    AnsiConsole.MarkupLineInterpolated($"  {violation.Field}: {violation.Message} ({violation.Rule})");
                }

                return ExitCodes.Failed;
            }

            response.Is(out Response<MarginCheckCompleted>? completed);
            if (asJson)
            {
                CliJson.WriteLine(new JsonObject { ["type"] = nameof(MarginCheckCompleted), ["message"] = CliJson.Message(completed!.Message) });
                return ExitCodes.Success;
            }

            Print(completed!.Message);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(MarginCheckCompleted figures)
    {
        var currency = figures.Currency ?? string.Empty;
        var table = new Table().AddColumns("", "current", "change", "after");
        table.Title = new TableTitle($"what-if {figures.OrderId} ({Markup.Escape(figures.UserId)} / {Markup.Escape(figures.AccountId)}, {Markup.Escape(currency)})");
        foreach (var (name, figure) in new[] { ("initial margin", figures.Initial), ("maintenance margin", figures.Maintenance), ("equity with loan value", figures.Equity) })
        {
            table.AddRow(name, Amount(figure.Current), Amount(figure.Change), Amount(figure.After));
        }

        table.AddRow("commission", Amount(figures.Commission), string.Empty, string.Empty);
        table.AddRow("order value", Amount(figures.Amount), string.Empty, string.Empty);
        table.AddRow("warning", Markup.Escape(figures.Warning ?? "-"), string.Empty, string.Empty);
        table.AddRow("error", figures.Error is null ? "-" : $"[red]{Markup.Escape(figures.Error)}[/]", string.Empty, string.Empty);
        AnsiConsole.Write(table);
    }

    private static string Amount(decimal? value) => value?.ToString("N2", CultureInfo.InvariantCulture) ?? "-";
}

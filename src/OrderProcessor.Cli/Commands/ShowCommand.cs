using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders show &lt;order-id&gt;</c>: the order's state and its whole event history from the outbox.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var orderId = new Argument<Guid>("order-id") { Description = "The order's id (a GUID)." };
        var command = new Command("show", "Show an order's state and its whole event history from the retained outbox.") { orderId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(orderId);
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == id, cancellationToken);
                if (order is null)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]order {id} is not known to the processor[/] ({settings.DatabaseDescription})");
                    return ExitCodes.NotFound;
                }

                var state = new Table().AddColumns("field", "value").HideHeaders();
                state.AddRow("order", order.OrderId.ToString());
                state.AddRow("status", order.Status.ToString());
                state.AddRow("cOID", order.ClientOrderId);
                state.AddRow("user / account", $"{order.UserId} / {order.AccountId}");
                state.AddRow("ticket", $"{order.Side} {order.Quantity} {order.OrderType} conid {order.Conid} lmt {order.LimitPrice} stp {order.StopPrice} {order.TimeInForce}");
                state.AddRow("IBKR order id", order.BrokerOrderId ?? "-");
                state.AddRow("filled", $"{order.FilledQuantity} @ {order.AveragePrice}");
                state.AddRow("last reason", order.LastReason ?? "-");
                state.AddRow("created / updated", $"{order.CreatedAt:O} / {order.UpdatedAt:O}");
                AnsiConsole.Write(state);

                var history = new Table().AddColumns("seq", "at", "event", "published", "message id");
                var rows = await db.Outbox.AsNoTracking().Where(o => o.OrderId == id).OrderBy(o => o.OrderSequence).ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    var orderEvent = (IOrderEvent)JsonSerializer.Deserialize(row.Body, OrderEventTypes.Resolve(row.MessageType), ContractJson.Options)!;
                    history.AddRow(row.OrderSequence.ToString(System.Globalization.CultureInfo.InvariantCulture), row.CreatedAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(EventText.Describe(orderEvent)), row.PublishedAt is null ? "[yellow]pending[/]" : "yes", row.MessageId.ToString());
                }

                AnsiConsole.Write(history);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}

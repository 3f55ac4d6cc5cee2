using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders show &lt;order-id&gt; [--json]</c>: the order's state and its whole event history from the outbox.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var orderId = new Argument<Guid>("order-id") { Description = "The order's id (a GUID)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document ({\"order\": {...}, \"events\": [...]}, events as stored in the outbox) instead of tables." };
        var command = new Command("show", "Show an order's state and its whole event history from the retained outbox. Exit code 4 when the order is not known.") { orderId, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(orderId);
            var asJson = parse.GetValue(json);
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == id, cancellationToken);
                if (order is null)
                {
                    ConsoleFor.Errors.MarkupLineInterpolated($"[red]order {id} is not known to the processor[/] ({settings.DatabaseDescription})");
                    return ExitCodes.NotFound;
                }

                var rows = await db.Outbox.AsNoTracking().Where(o => o.OrderId == id).OrderBy(o => o.OrderSequence).ToListAsync(cancellationToken);
                if (asJson)
                {
                    CliJson.WriteLine(new JsonObject { ["order"] = StateJson(order), ["events"] = new JsonArray(rows.Select(EventJson).ToArray()) });
                    return ExitCodes.Success;
                }

                PrintTables(order, rows);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static void PrintTables(OrderSaga order, List<OutboxMessage> rows)
    {
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
        foreach (var row in rows)
        {
            var orderEvent = (IOrderEvent)JsonSerializer.Deserialize(row.Body, OrderEventTypes.Resolve(row.MessageType), ContractJson.Options)!;
            history.AddRow(row.OrderSequence.ToString(CultureInfo.InvariantCulture), row.CreatedAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                Markup.Escape(EventText.Describe(orderEvent)), row.PublishedAt is null ? "[yellow]pending[/]" : "yes", row.MessageId.ToString());
        }

        AnsiConsole.Write(history);
    }

    /// <summary>The order's state; enums by their wire names, as in the events.</summary>
    private static JsonObject StateJson(OrderSaga order) => new()
    {
        ["orderId"] = order.OrderId,
        ["status"] = Wire<OrderStatus>(order.Status),
        ["clientOrderId"] = order.ClientOrderId,
        ["userId"] = order.UserId,
        ["accountId"] = order.AccountId,
        ["conid"] = order.Conid,
        ["side"] = Wire(order.Side),
        ["quantity"] = order.Quantity,
        ["orderType"] = Wire(order.OrderType),
        ["limitPrice"] = order.LimitPrice,
        ["stopPrice"] = order.StopPrice,
        ["trailingAmount"] = order.TrailingAmount,
        ["trailingUnit"] = Wire(order.TrailingUnit),
        ["timeInForce"] = Wire(order.TimeInForce),
        ["outsideRegularHours"] = order.OutsideRegularHours,
        ["parentOrderId"] = order.ParentOrderId,
        ["ocaGroup"] = order.OcaGroup,
        ["brokerOrderId"] = order.BrokerOrderId,
        ["brokerStatus"] = order.BrokerStatus,
        ["filledQuantity"] = order.FilledQuantity,
        ["averagePrice"] = order.AveragePrice,
        ["lastReason"] = order.LastReason,
        ["createdAt"] = order.CreatedAt,
        ["updatedAt"] = order.UpdatedAt,
    };

    /// <summary>One outbox row: where it stands and the event exactly as stored (and published).</summary>
    private static JsonObject EventJson(OutboxMessage row) => new()
    {
        ["sequence"] = row.OrderSequence,
        ["type"] = OrderEventTypes.Resolve(row.MessageType).Name,
        ["messageId"] = row.MessageId,
        ["createdAt"] = row.CreatedAt,
        ["publishedAt"] = row.PublishedAt,
        ["parkedAt"] = row.ParkedAt,
        ["message"] = JsonNode.Parse(row.Body),
    };

    private static JsonNode? Wire<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value is { } v ? JsonSerializer.SerializeToNode(v, ContractJson.Options) : null;
}

using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders attention</c>: the orders the processor handed to an operator (status NeedsAttention), with why, what is
/// known of them at IBKR, and how to look further. Exit 0 when there are none, 1 when there are some (for scripts and alerts).
/// </summary>
public static class AttentionCommand
{
    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "Only this user's orders." };
        var command = new Command("attention", "List the orders that need an operator: what IBKR has of them is unknown, and the processor sends nothing more for them.") { user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var userId = parse.GetValue(user);
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var orders = await db.Orders.AsNoTracking()
                    .Where(o => o.Status == OrderStatus.NeedsAttention && (userId == null || o.UserId == userId))
                    .OrderBy(o => o.UpdatedAt)
                    .ToListAsync(cancellationToken);
                if (orders.Count == 0)
                {
                    AnsiConsole.MarkupLine("[green]no order needs an operator[/]");
                    return ExitCodes.Success;
                }

                // One line per order (a table would wrap the ids): easy to read and to grep.
                foreach (var order in orders)
                {
                    AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{order.OrderId}  user {order.UserId}  account {order.AccountId}  cOID {order.ClientOrderId}  IBKR id {order.BrokerOrderId ?? "-"}  first sent {order.FirstSentAt:u}  filled {order.FilledQuantity} of {order.Quantity}  since {order.UpdatedAt:u}"));
                    AnsiConsole.WriteLine("    why: " + (order.LastReason ?? "-"));
                }

                AnsiConsole.MarkupLineInterpolated($"{orders.Count} order(s) need an operator. Look each cOID up in IBKR (TWS or the Client Portal: orders and trades); 'orders show <order-id>' gives its history.");
                return ExitCodes.Failed;
            });
        });
        return command;
    }
}

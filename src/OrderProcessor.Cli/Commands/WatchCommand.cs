using System.CommandLine;
using System.Threading.Channels;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders watch [--json]</c>: every order event as it is published, one line each (a JSON document each with --json), until Ctrl+C.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var order = new Option<Guid?>("--order") { Description = "Only this order's events." };
        var user = new Option<string?>("--user") { Description = "Only events of this user's orders." };
        var account = new Option<string?>("--account") { Description = "Only events of this account's orders." };
        var json = new Option<bool>("--json") { Description = "One JSON document per event on standard output (JSON lines: {\"type\", \"messageId\", \"message\"}); messages go to standard error." };

        var command = new Command("watch",
            "Print every order event the processor publishes, one line per event, as it arrives, until Ctrl+C. " +
            "Listens on a temporary queue; replays to the audit exchange are not shown.")
        {
            order, user, account, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (orderId, userId, accountId) = (parse.GetValue(order), parse.GetValue(user), parse.GetValue(account));
            var asJson = parse.GetValue(json);
            var messages = ConsoleFor.Messages(asJson);
            var settings = CliSettings.Load();
            var lookup = new OrderOwnerLookup(settings.DbContextFactory());
            var stream = new EventStream();
            var arrived = Channel.CreateUnbounded<(Guid MessageId, IOrderEvent Event)>(new UnboundedChannelOptions { SingleReader = true });
            stream.Received += (messageId, orderEvent) => arrived.Writer.TryWrite((messageId, orderEvent));
            await using var bus = await CliBus.StartAsync(settings, rabbit =>
            {
                // One message at a time: the relay publishes each order's events in sequence, and so they are printed.
                rabbit.ConcurrentMessageLimit = 1;
                stream.Configure(rabbit);
            }, cancellationToken);

            var filters = new List<string>();
            if (orderId is not null)
            {
                filters.Add($"order {orderId}");
            }

            if (userId is not null)
            {
                filters.Add($"user {userId}");
            }

            if (accountId is not null)
            {
                filters.Add($"account {accountId}");
            }

            messages.MarkupLineInterpolated(
                $"[grey]watching order events on {settings.BrokerDescription}{(filters.Count > 0 ? " for " + string.Join(", ", filters) : string.Empty)}; Ctrl+C stops[/]");
            var warned = false;
            try
            {
                await foreach (var (messageId, orderEvent) in arrived.Reader.ReadAllAsync(cancellationToken))
                {
                    if (orderId is { } wanted && orderEvent.OrderId != wanted)
                    {
                        continue;
                    }

                    if (userId is not null || accountId is not null)
                    {
                        var owner = await lookup.OwnerOfAsync(orderEvent, cancellationToken);
                        if ((userId is not null && owner.UserId != userId) || (accountId is not null && owner.AccountId != accountId))
                        {
                            if (lookup.DatabaseProblem is { } problem && !warned)
                            {
                                warned = true;
                                ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]the orders table cannot be read ({problem}): events that do not name their user are not shown[/]");
                            }

                            continue;
                        }
                    }

                    if (asJson)
                    {
                        CliJson.WriteLine(CliJson.Event(orderEvent, messageId));
                        continue;
                    }

                    AnsiConsole.MarkupLineInterpolated(
                        $"[grey]{orderEvent.OccurredAt:HH:mm:ss.fff}[/] {orderEvent.OrderId} #{orderEvent.Sequence} [bold]{orderEvent.GetType().Name}[/] {EventText.Describe(orderEvent)}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: the normal way to stop watching.
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrderProcessor.Audit;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders replay</c>: selects outbox rows and sends them to the audit exchange (original message ids, replay marker)
/// or writes them as JSON lines to a file or standard output.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var order = new Option<Guid?>("--order") { Description = "Rows of this order id." };
        var user = new Option<string?>("--user") { Description = "Rows of this user's orders (and standalone events naming the user)." };
        var account = new Option<string?>("--account") { Description = "Rows of this account's orders (and standalone events naming the account)." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Rows created at or after this time (ISO 8601, e.g. 2026-11-24T08:00:00Z)." };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Rows created before this time." };
        var fromSeq = new Option<long?>("--from-seq") { Description = "Rows from this outbox sequence (inclusive)." };
        var toSeq = new Option<long?>("--to-seq") { Description = "Rows up to this outbox sequence (inclusive)." };
        var toExchange = new Option<string?>("--to-exchange")
        {
            Description = $"Send each row to this RabbitMQ fanout exchange (the default destination: {OutboxReplayer.DefaultExchange}). " +
                "Subscribers of the event types do not receive replays; bind a queue to this exchange to receive them.",
        };
        var toFile = new Option<FileInfo?>("--to-file") { Description = "Write the rows as JSON lines to this file (overwritten); `orders audit verify --from-file` reads it." };
        var toStdout = new Option<bool>("--to-stdout") { Description = "Write the rows as JSON lines to standard output (progress goes to standard error)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows read from PostgreSQL per page.", DefaultValueFactory = _ => 10_000 };

        var command = new Command("replay",
            "Replay outbox rows selected by order, user, account, time range or outbox sequence range (criteria combine), " +
            "to the audit exchange with their original message ids and the header OrderProcessor-Replay: true, or as JSON lines.")
        {
            order, user, account, since, until, fromSeq, toSeq, toExchange, toFile, toStdout, batchSize,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selection = new OutboxSelection
            {
                OrderId = parse.GetValue(order),
                UserId = parse.GetValue(user),
                AccountId = parse.GetValue(account),
                Since = parse.GetValue(since),
                Until = parse.GetValue(until),
                FromSequence = parse.GetValue(fromSeq),
                ToSequence = parse.GetValue(toSeq),
            };
            var file = parse.GetValue(toFile);
            var stdout = parse.GetValue(toStdout);
            var exchange = parse.GetValue(toExchange);
            var size = parse.GetValue(batchSize);
            var console = ConsoleFor.Messages(stdout);
            var problem = selection.Problem() switch
            {
                { } selectionProblem => selectionProblem,
                _ when new object?[] { exchange, file, stdout ? true : null }.Count(d => d is not null) > 1 =>
                    "choose one destination: --to-exchange, --to-file or --to-stdout",
                _ when exchange is not null && !OutboxReplayer.IsValidExchangeName(exchange) =>
                    $"--to-exchange: '{exchange}' is not a valid exchange name (letters, digits, '-', '_', '.', ':')",
                _ when size is < 1 or > 1_000_000 => "--batch-size must be between 1 and 1000000",
                _ when file is { Directory.Exists: false } => $"--to-file: the directory {file.DirectoryName} does not exist",
                _ => null,
            };
            if (problem is not null)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            var source = new OutboxRowSource(settings.ConnectionString, size);
            var total = await CliErrors.OnDatabaseAsync(settings, () => source.CountAsync(selection, cancellationToken));
            var destination = file is not null ? file.FullName : stdout ? "standard output" : $"exchange {exchange ?? OutboxReplayer.DefaultExchange} on {settings.BrokerDescription}";
            var stopwatch = Stopwatch.StartNew();
            var done = await CliErrors.OnDatabaseAsync(settings, () => WithProgressAsync(console, $"replaying {total:N0} rows to {destination}", total, progress =>
                file is not null ? ToFileAsync(file, source.ReadAsync(selection, cancellationToken), progress, cancellationToken)
                : stdout ? ToStdoutAsync(source.ReadAsync(selection, cancellationToken), progress, cancellationToken)
                : ToExchangeAsync(settings, exchange ?? OutboxReplayer.DefaultExchange, source.ReadAsync(selection, cancellationToken), progress, cancellationToken)));

            var seconds = stopwatch.Elapsed.TotalSeconds;
            console.MarkupLineInterpolated(
                $"[green]replayed {done:N0} row(s)[/] ({selection}) to {destination} in {seconds.ToString("F1", CultureInfo.InvariantCulture)} s");
            if (done == 0)
            {
                console.MarkupLine("[yellow]no outbox row matched the selection[/]");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<long> ToFileAsync(FileInfo file, IAsyncEnumerable<Persistence.OutboxMessage> rows, Action<long> progress, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return await OutboxReplayer.WriteJsonLinesAsync(writer, rows, progress, cancellationToken);
    }

    private static async Task<long> ToStdoutAsync(IAsyncEnumerable<Persistence.OutboxMessage> rows, Action<long> progress, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return await OutboxReplayer.WriteJsonLinesAsync(writer, rows, progress, cancellationToken);
    }

    private static async Task<long> ToExchangeAsync(CliSettings settings, string exchange, IAsyncEnumerable<Persistence.OutboxMessage> rows, Action<long> progress,
        CancellationToken cancellationToken)
    {
        await using var bus = await CliBus.StartAsync(settings, null, cancellationToken);
        return await OutboxReplayer.ReplayToExchangeAsync(bus.Bus(), exchange, rows, TimeProvider.System, progress, cancellationToken);
    }

    private static async Task<long> WithProgressAsync(IAnsiConsole console, string description, long total, Func<Action<long>, Task<long>> run) =>
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                var done = await run(count => task.Value = Math.Min(count, task.MaxValue));
                task.Value = task.MaxValue;
                task.StopTask();
                return done;
            });
}

using System.CommandLine;
using System.Globalization;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Upstreams;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders upstreams list|grant|revoke</c>: the mapping of upstreams (RabbitMQ users) to the users and accounts they
/// may act for. Running processors read it again within <c>Upstreams:CacheDuration</c> (5 s by default).
/// </summary>
public static class UpstreamsCommand
{
    public static Command Create()
    {
        var upstreams = new Command("upstreams", "The upstreams (RabbitMQ users) allowed to publish commands, and the users and accounts each may act for.");
        upstreams.Add(List());
        upstreams.Add(Grant());
        upstreams.Add(Revoke());
        return upstreams;
    }

    private static Command List()
    {
        var upstream = new Argument<string?>("upstream") { Description = "Only this upstream's grants.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List the grants.") { upstream };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var grants = await UpstreamGrantStore.ListAsync(db, parse.GetValue(upstream), cancellationToken);
                foreach (var grant in grants)
                {
                    AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{grant.Upstream}  user {grant.UserPattern}  account {grant.AccountPattern}  since {grant.GrantedAt:u}"));
                }

                AnsiConsole.MarkupLineInterpolated($"{grants.Count} grant(s). Outside Development a command from an upstream without a matching grant is refused (UpstreamNotAuthorized).");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command Grant()
    {
        var (upstream, user, account) = Patterns("*");
        var command = new Command("grant", "Let an upstream act for the users and accounts matching the patterns (an exact id, '*', or a prefix such as 'platform-a-*').")
        {
            upstream, user, account,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                try
                {
                    var added = await UpstreamGrantStore.GrantAsync(db, parse.GetValue(upstream)!, parse.GetValue(user)!, parse.GetValue(account)!,
                        DateTimeOffset.UtcNow, cancellationToken);
                    AnsiConsole.MarkupLine((added ? "[green]granted[/]" : "already granted") + Markup.Escape(
                        $": {parse.GetValue(upstream)} may act for user {parse.GetValue(user)} on account {parse.GetValue(account)}"));
                    return ExitCodes.Success;
                }
                catch (FormatException exception)
                {
                    ConsoleFor.Errors.MarkupLineInterpolated($"[red]{exception.Message}[/]");
                    return ExitCodes.Usage;
                }
            });
        });
        return command;
    }

    private static Command Revoke()
    {
        var (upstream, user, account) = Patterns(null);
        var command = new Command("revoke", "Remove an upstream's grants: those with exactly these patterns, or all of them when neither --user nor --account is given. Exit code 4 when none matched.")
        {
            upstream, user, account,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var removed = await UpstreamGrantStore.RevokeAsync(db, parse.GetValue(upstream)!, parse.GetValue(user), parse.GetValue(account), cancellationToken);
                AnsiConsole.MarkupLineInterpolated($"{removed} grant(s) of {parse.GetValue(upstream)} revoked");
                return removed > 0 ? ExitCodes.Success : ExitCodes.NotFound;
            });
        });
        return command;
    }

    private static (Argument<string> Upstream, Option<string?> User, Option<string?> Account) Patterns(string? accountDefault)
    {
        var upstream = new Argument<string>("upstream") { Description = "The upstream's RabbitMQ user name (what RabbitMQ puts in user_id)." };
        var user = new Option<string?>("--user") { Description = "User id pattern: an exact id, '*', or a prefix ending in '*'.", Required = accountDefault is not null };
        var account = new Option<string?>("--account") { Description = "Account id pattern: an exact id, '*', or a prefix ending in '*'." };
        if (accountDefault is not null)
        {
            account.DefaultValueFactory = _ => accountDefault;
        }

        return (upstream, user, account);
    }
}

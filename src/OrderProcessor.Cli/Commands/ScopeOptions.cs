using System.CommandLine;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>The scope a halt or resume is about.</summary>
public sealed record ChosenScope(HaltScope Scope, string? AccountId, string? UserId);

/// <summary><c>--account A | --user U | --all</c> of <c>orders halt</c> and <c>orders resume</c>: exactly one.</summary>
public sealed record ScopeOptions(Option<string?> Account, Option<string?> User, Option<bool> All)
{
    public static ScopeOptions Create() => new(
        new Option<string?>("--account") { Description = "Halt (resume) one IBKR account." },
        new Option<string?>("--user") { Description = "Halt (resume) one user (IBKR username)." },
        new Option<bool>("--all") { Description = "Halt (resume) everyone." });

    /// <summary>The scope given, or null (said on standard error) when none or more than one was.</summary>
    public ChosenScope? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var account = parse.GetValue(Account);
        var user = parse.GetValue(User);
        var all = parse.GetValue(All);
        var given = (string.IsNullOrWhiteSpace(account) ? 0 : 1) + (string.IsNullOrWhiteSpace(user) ? 0 : 1) + (all ? 1 : 0);
        if (given != 1)
        {
            ConsoleFor.Errors.MarkupLine("[red]give exactly one of --account, --user or --all[/]");
            return null;
        }

        return all ? new ChosenScope(HaltScope.All, null, null)
            : !string.IsNullOrWhiteSpace(account) ? new ChosenScope(HaltScope.Account, account.Trim(), null)
            : new ChosenScope(HaltScope.User, null, user!.Trim());
    }
}

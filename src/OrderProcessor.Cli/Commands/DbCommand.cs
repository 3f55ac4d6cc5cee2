using System.CommandLine;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Persistence;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders db migrate</c>: applies the schema migrations.</summary>
public static class DbCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Apply pending schema migrations to the database named by ConnectionStrings__OrderProcessor.");
        migrate.SetAction(async (_, cancellationToken) =>
        {
            var settings = CliSettings.Load();
            var applied = await CliErrors.OnDatabaseAsync(settings,
                () => DatabaseMigrator.MigrateAsync(settings.DbContextFactory(), cancellationToken));
            AnsiConsole.MarkupLineInterpolated($"[green]{settings.DatabaseDescription}: schema is current[/] ({applied.Count} migration(s) applied{(applied.Count > 0 ? ": " + string.Join(", ", applied) : string.Empty)})");
            return ExitCodes.Success;
        });

        var db = new Command("db", "Database tasks.");
        db.Add(migrate);
        return db;
    }
}

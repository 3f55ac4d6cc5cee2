using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using OrderProcessor.Migrations;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Schema;

/// <summary>
/// The migrations hold the model the processor runs: a model change without <c>dotnet ef migrations add</c> fails here,
/// not at a customer's database. No server needed: the model, the snapshot and the migrations are compared in memory
/// through the same design-time factory <c>dotnet ef</c> uses.
/// </summary>
public sealed class When_the_model_is_compared_with_the_migrations(ITestOutputHelper output)
{
    [Fact]
    public void Should_find_no_change_that_no_migration_holds()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        var migrations = db.Database.GetMigrations().ToList();
        var pending = db.Database.HasPendingModelChanges();
        output.WriteLine($"{migrations.Count} migrations, last {migrations[^1]}; model changes not in a migration: {pending}");

        Assert.False(pending, "The model differs from the migrations' snapshot: run `dotnet ef migrations add <Name> --project migrations/OrderProcessor.Migrations`.");
    }

    /// <summary>
    /// <c>dotnet ef migrations remove</c> rewrites the snapshot from the previous migration's target model: if that model
    /// lags the snapshot (two branches' migrations merged by hand), removing a new migration silently drops tables from
    /// the snapshot and the next <c>add</c> creates them again.
    /// </summary>
    [Fact]
    public void Should_have_the_last_migration_target_the_snapshot_model()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        var assembly = db.GetService<IMigrationsAssembly>();
        var initializer = db.GetService<IModelRuntimeInitializer>();
        var differ = db.GetService<IMigrationsModelDiffer>();
        var last = assembly.Migrations.Last();
        var target = assembly.CreateMigration(last.Value, db.Database.ProviderName!).TargetModel;
        Assert.NotNull(target);
        Assert.NotNull(assembly.ModelSnapshot);

        var targetModel = initializer.Initialize(target, designTime: true).GetRelationalModel();
        var snapshotModel = initializer.Initialize(assembly.ModelSnapshot.Model, designTime: true).GetRelationalModel();
        var differences = differ.GetDifferences(targetModel, snapshotModel);
        output.WriteLine($"{last.Key}: {targetModel.Tables.Count()} tables in its target model, {snapshotModel.Tables.Count()} in the snapshot, {differences.Count} differences");
        foreach (var difference in differences)
        {
            output.WriteLine($"  {difference.GetType().Name} {(difference as ITableMigrationOperation)?.Table}");
        }

        Assert.Empty(differences);
    }
}

// Usage: dotnet run --project tools/OrderProcessor.MigrationScaffolder -- <MigrationName>
// Compares the service's model with the last snapshot in migrations/ and writes the migration and the new snapshot.
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Migrations;

if (args.Length != 1 || string.IsNullOrWhiteSpace(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run --project tools/OrderProcessor.MigrationScaffolder -- <MigrationName>");
    return 2;
}

var projectDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../migrations/OrderProcessor.Migrations"));
if (!File.Exists(Path.Combine(projectDirectory, "OrderProcessor.Migrations.csproj")))
{
    Console.Error.WriteLine($"cannot find the migrations project at {projectDirectory}");
    return 1;
}

var migrationsAssembly = typeof(DesignTimeDbContextFactory).Assembly;
await using var db = new DesignTimeDbContextFactory().CreateDbContext(args);
var reporter = new ConsoleReporter();
var services = new DesignTimeServicesBuilder(migrationsAssembly, migrationsAssembly, reporter, args)
    .Build(db);
var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
var migration = scaffolder.ScaffoldMigration(args[0], rootNamespace: "OrderProcessor", subNamespace: "Migrations", language: "C#");
var files = scaffolder.Save(projectDirectory, migration, outputDir: projectDirectory);
Console.WriteLine($"wrote {files.MigrationFile}");
Console.WriteLine($"wrote {files.MetadataFile}");
// Keep the snapshot beside the migrations rather than in a nested Migrations/ folder.
var snapshotFile = Path.Combine(projectDirectory, Path.GetFileName(files.SnapshotFile!));
if (!string.Equals(snapshotFile, files.SnapshotFile, StringComparison.Ordinal))
{
    File.Move(files.SnapshotFile!, snapshotFile, overwrite: true);
    Directory.Delete(Path.GetDirectoryName(files.SnapshotFile)!, recursive: false);
}

Console.WriteLine($"wrote {snapshotFile}");
return 0;

internal sealed class ConsoleReporter : IOperationReporter
{
    public void WriteError(string message) => Console.Error.WriteLine(message);
    public void WriteWarning(string message) => Console.Error.WriteLine(message);
    public void WriteInformation(string message) => Console.WriteLine(message);
    public void WriteVerbose(string message) { }
}

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>The repository root (the folder holding OrderProcessor.sln) and the shared reference folder beside it.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string OpenApiDocument =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "reference", "ibkr-web-api-openapi-2.28.0.json"));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OrderProcessor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OrderProcessor.sln not found above " + AppContext.BaseDirectory);
    }
}

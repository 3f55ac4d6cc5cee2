namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// The repository root (the folder holding OrderProcessor.sln), the project's own subset of IBKR's OpenAPI document in
/// it, and IBKR's full document in the shared reference folder beside a working copy (absent in a plain clone).
/// </summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The operations the guard calls and the components they reference, copied from IBKR's document.</summary>
    public static string IbkrOpenApiSubset => System.IO.Path.Combine(Path, "contracts", "ibkr", "ibkr-web-api-subset.json");

    /// <summary>IBKR's full OpenAPI document, only used to check the subset against it.</summary>
    public static string IbkrOpenApiDocument =>
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

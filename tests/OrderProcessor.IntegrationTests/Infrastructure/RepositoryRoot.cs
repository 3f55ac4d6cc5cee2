namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>The checkout's root (the folder of OrderProcessor.sln), for tests that run the repository's scripts and builds.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "OrderProcessor.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("OrderProcessor.sln not found above " + AppContext.BaseDirectory);
    }
}

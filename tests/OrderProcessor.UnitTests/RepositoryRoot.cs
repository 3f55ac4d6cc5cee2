namespace OrderProcessor.UnitTests;

/// <summary>The checkout's root (the folder of OrderProcessor.sln), for tests that read the repository's own files.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrderProcessor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("OrderProcessor.sln not found above " + AppContext.BaseDirectory);
    }
}

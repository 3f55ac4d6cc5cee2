using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.FileProviders;

namespace OrderProcessor.Host;

/// <summary>
/// Settings from files, one key per file (Docker and Kubernetes secrets): a file named
/// <c>ConnectionStrings__OrderProcessor</c> in the secrets directory gives <c>ConnectionStrings:OrderProcessor</c>, its
/// content the value. The directory is <c>/run/secrets</c> unless <c>ORDERPROCESSOR_SECRETS_DIR</c> names another;
/// a missing directory is no error. The files beat appsettings*.json; environment variables and the command line still
/// beat the files, so an operator can override one value without touching the secret.
/// </summary>
internal static class SecretFiles
{
    public const string DirectoryVariable = "ORDERPROCESSOR_SECRETS_DIR";
    public const string DefaultDirectory = "/run/secrets";

    public static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } directory ? directory : DefaultDirectory;

    public static void AddSecretFiles(this IConfigurationBuilder configuration)
    {
        var directory = Directory;
        var source = new KeyPerFileConfigurationSource
        {
            Optional = true,
            FileProvider = System.IO.Directory.Exists(directory) ? new PhysicalFileProvider(Path.GetFullPath(directory)) : null,
        };

        // Just before the environment variables without a prefix (WebApplication adds them after appsettings*.json
        // and user secrets, before the command line).
        var sources = configuration.Sources;
        var environment = sources.Select((s, i) => (Source: s, Index: i))
            .LastOrDefault(s => s.Source is EnvironmentVariablesConfigurationSource { Prefix: null or "" }, (null!, -1)).Index;
        if (environment < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(environment, source);
        }
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Deployment;

/// <summary>
/// What ships besides the code: docker-compose.yml, the images and the host's appsettings files, checked against the
/// code they describe so they cannot drift from it.
/// </summary>
public sealed partial class When_the_deployment_files_are_checked(ITestOutputHelper output)
{
    private static string RepositoryFile(params string[] path) => Path.Combine([RepositoryRoot.Path, .. path]);

    [Fact]
    public async Task Should_be_a_compose_file_that_compose_accepts()
    {
        // Debian's docker-compose (v1, which scripts/test.sh installs when apt can) or Docker's compose plugin.
        var compose = FindOnPath("docker-compose") is { } v1 ? (v1, new[] { "config", "-q" })
            : FindOnPath("docker") is { } docker && await RunAsync(docker, ["compose", "version"]) is (0, _) ? (docker, new[] { "compose", "config", "-q" })
            : default;
        if (compose == default)
        {
            output.WriteLine("neither docker-compose nor docker's compose plugin is installed here: nothing to run (scripts/test.sh installs docker-compose with apt when it can)");
            return;
        }

        var (exitCode, text) = await RunAsync(compose.Item1, compose.Item2);
        output.WriteLine($"{Path.GetFileName(compose.Item1)} {string.Join(' ', compose.Item2)}: exit {exitCode} {text}");

        Assert.True(exitCode == 0, text);
    }

    [Fact]
    public void Should_give_the_processor_a_stop_grace_period_just_longer_than_its_own_shutdown_timeout()
    {
        var processor = ComposeService("processor");
        var grace = TimeSpan.FromSeconds(int.Parse(StopGracePeriod().Match(processor).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var shutdown = OrderProcessorServiceCollectionExtensions.ShutdownTimeout(new ConfigurationBuilder().Build());
        output.WriteLine($"stop_grace_period {grace.TotalSeconds} s; the host's shutdown timeout with the default drain {shutdown.TotalSeconds} s");

        // Longer, or Docker's SIGKILL cuts a clean stop short; not much longer, or a stuck stop holds a deployment up.
        Assert.InRange(grace, shutdown + TimeSpan.FromSeconds(1), shutdown + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Should_have_the_processor_listen_on_every_interface_of_its_container_with_health_checked_there()
    {
        var processor = ComposeService("processor");
        output.WriteLine(processor);

        Assert.Contains("ASPNETCORE_URLS: http://0.0.0.0:8080", processor, StringComparison.Ordinal);
        Assert.Contains(":8080\"", processor, StringComparison.Ordinal);
        Assert.Contains("--health-probe", processor, StringComparison.Ordinal);
        Assert.Contains("postgres-data:/var/lib/postgresql/data", ComposeService("postgres"), StringComparison.Ordinal);
        Assert.Contains("rabbitmq-data:/var/lib/rabbitmq", ComposeService("rabbitmq"), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_keep_developer_defaults_and_the_listen_address_out_of_the_production_settings()
    {
        var production = new ConfigurationBuilder().AddJsonFile(RepositoryFile("src", "OrderProcessor.Host", "appsettings.json")).Build();
        var development = new ConfigurationBuilder().AddJsonFile(RepositoryFile("src", "OrderProcessor.Host", "appsettings.Development.json")).Build();
        string[] developerKeys = ["ConnectionStrings:OrderProcessor", "RabbitMq:Host", "RabbitMq:Port", "RabbitMq:Username", "RabbitMq:Password",
            "Brokerage:PiTrade:BaseUrl", "Brokerage:PiTrade:ClientId", "Brokerage:Ibkr:BaseUrl"];
        foreach (var key in developerKeys)
        {
            output.WriteLine($"{key}: production '{production[key]}', development '{development[key]}'");
        }

        Assert.All(developerKeys, key => Assert.Null(production[key]));
        Assert.All(developerKeys, key => Assert.NotNull(development[key]));
        // A Urls setting in either file would beat ASPNETCORE_URLS.
        Assert.Null(production["Urls"]);
        Assert.Null(development["Urls"]);
        // Secrets are never defaults, not even for a developer.
        Assert.Null(development["Brokerage:PiTrade:ApiKey"]);
    }

    [Theory]
    [InlineData("Polly", false)]
    [InlineData("Microsoft.Extensions.Http.Resilience.ResilienceHandler", false)]
    [InlineData("System.Net.Http.HttpClient.ibkr.LogicalHandler", false)]
    [InlineData("System.Net.Http.HttpClient.pitrade.ClientHandler", false)]
    [InlineData("OrderProcessor.Execution.BrokerWorker", true)]
    [InlineData("OrderProcessor.Brokerage.Sessions.SessionManager", true)]
    public void Should_keep_the_guards_http_resilience_logs_quiet_by_default(string category, bool informationShown)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(RepositoryFile("src", "OrderProcessor.Host", "appsettings.json")).Build();
        using var logging = LoggerFactory.Create(builder => builder.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
        var logger = logging.CreateLogger(category);
        output.WriteLine($"{category}: Information {(logger.IsEnabled(LogLevel.Information) ? "shown" : "hidden")}, Warning {(logger.IsEnabled(LogLevel.Warning) ? "shown" : "hidden")}");

        Assert.Equal(informationShown, logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Theory]
    [InlineData("src/OrderProcessor.Host/Dockerfile", "src/OrderProcessor.Host/OrderProcessor.Host.csproj")]
    [InlineData("src/OrderProcessor.Simulator/Dockerfile", "src/OrderProcessor.Simulator/OrderProcessor.Simulator.csproj")]
    public void Should_restore_the_image_in_a_layer_of_its_project_files_alone_and_check_its_health(string dockerfile, string project)
    {
        var lines = File.ReadAllLines(RepositoryFile(dockerfile.Split('/')));
        var copiedProjects = lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains(".csproj", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToHashSet();
        var needed = ProjectClosure(project);
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        var copyAll = Array.FindIndex(lines, l => l.Trim() == "COPY . .");
        output.WriteLine($"{dockerfile}: copies {string.Join(", ", copiedProjects.Order())} before `RUN dotnet restore` (line {restore + 1}); `COPY . .` at line {copyAll + 1}");

        Assert.Equal(needed.Order(), copiedProjects.Order());
        Assert.Contains(lines, l => l.StartsWith("COPY ", StringComparison.Ordinal) && l.Contains("Directory.Packages.props", StringComparison.Ordinal));
        Assert.InRange(restore, 0, copyAll - 1);
        Assert.Contains(lines, l => l.Contains("--no-restore", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
    }

    /// <summary>The project and every project it references, directly or not, as paths from the repository root.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(RepositoryFile(next.Split('/')))!;
            foreach (var reference in XDocument.Load(RepositoryFile(next.Split('/'))).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'));
            }
        }

        return found;
    }

    /// <summary>One service's block of docker-compose.yml: its lines up to the next service or top-level key.</summary>
    private static string ComposeService(string name)
    {
        var lines = File.ReadAllLines(RepositoryFile("docker-compose.yml"));
        var start = Array.IndexOf(lines, $"  {name}:");
        Assert.True(start >= 0, $"docker-compose.yml has no service {name}");
        var block = lines.Skip(start + 1).TakeWhile(l => l.Length == 0 || l.StartsWith("   ", StringComparison.Ordinal) || l.TrimStart().StartsWith('#'));
        return string.Join('\n', block);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The compose file refuses to be read without the partner secret it hands the simulator and the processor.
        start.Environment["ORDERPROCESSOR_PARTNER_API_KEY"] = "compose-config-check-only-0123456789abcdef";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    [GeneratedRegex(@"stop_grace_period: (\d+)s")]
    private static partial Regex StopGracePeriod();
}

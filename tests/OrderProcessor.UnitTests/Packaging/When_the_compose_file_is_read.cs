using System.Text.RegularExpressions;

namespace OrderProcessor.UnitTests.Packaging;

/// <summary>
/// docker-compose.yml cannot be run where there is no Docker engine (CI here), so its structure is checked instead: the
/// services, the ports the native path uses, the settings the processor needs, and Dockerfiles that build real projects.
/// </summary>
public sealed partial class When_the_compose_file_is_read
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly string Compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));

    [Fact]
    public void Should_define_the_four_services()
    {
        Assert.Equal(["rabbitmq", "postgres", "simulator", "processor"], ServiceNames());
        Assert.Contains("image: rabbitmq:3.13-management", Block("rabbitmq"), StringComparison.Ordinal);
        Assert.Contains("image: postgres:", Block("postgres"), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_publish_the_servers_on_the_ports_of_the_native_path()
    {
        var services = File.ReadAllText(Path.Combine(Root, "scripts", "services.sh"));
        foreach (var (variable, service) in new[] { ("RABBITMQ_PORT", "rabbitmq"), ("RABBITMQ_MANAGEMENT_PORT", "rabbitmq"), ("POSTGRES_PORT", "postgres") })
        {
            var native = Regex.Match(services, $@"ORDERPROCESSOR_{variable}:-(\d+)").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(native), $"services.sh has no default for ORDERPROCESSOR_{variable}");
            Assert.Contains($"${{ORDERPROCESSOR_{variable}:-{native}}}", Block(service), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_configure_the_processor_like_the_native_path()
    {
        var processor = Block("processor");
        foreach (var key in new[]
        {
            "RabbitMq__Host", "RabbitMq__Port", "ConnectionStrings__OrderProcessor", "Database__MigrateOnStart",
            "Brokerage__PiTrade__BaseUrl", "Brokerage__PiTrade__ClientId", "Brokerage__PiTrade__ApiKey", "Brokerage__Ibkr__BaseUrl",
        })
        {
            Assert.Matches($@"\n\s+{key}:", processor);
        }

        Assert.DoesNotMatch(@"ApiKey:\s*""?[A-Za-z0-9]{16,}", Compose);
    }

    [Theory]
    [InlineData("simulator")]
    [InlineData("processor")]
    public void Should_build_each_application_from_a_dockerfile_that_publishes_a_real_project(string service)
    {
        var dockerfile = Regex.Match(Block(service), @"dockerfile:\s*(\S+)").Groups[1].Value;
        var text = File.ReadAllText(Path.Combine(Root, dockerfile));
        var project = Regex.Match(text, @"dotnet publish (\S+\.csproj)").Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(Root, project)), $"{dockerfile} publishes {project}, which does not exist");
        var assembly = Regex.Match(text, @"ENTRYPOINT \[""dotnet"", ""([^""]+)\.dll""\]").Groups[1].Value;
        Assert.Equal(Path.GetFileNameWithoutExtension(project), assembly);
    }

    private static List<string> ServiceNames() => ServiceHeader().Matches(Compose.Split("\nservices:\n")[1]).Select(m => m.Groups[1].Value).ToList();

    private static string Block(string service)
    {
        var body = Compose.Split("\nservices:\n")[1];
        var start = body.IndexOf($"\n  {service}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0 || body.StartsWith($"  {service}:\n", StringComparison.Ordinal), $"no service {service}");
        start = Math.Max(start, 0);
        var next = ServiceHeader().Match(body, start + service.Length + 4);
        return next.Success ? body[start..next.Index] : body[start..];
    }

    [GeneratedRegex(@"(?m)^  ([a-z][a-z0-9-]*):\s*$")]
    private static partial Regex ServiceHeader();
}

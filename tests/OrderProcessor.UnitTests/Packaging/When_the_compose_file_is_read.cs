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
    public void Should_define_the_four_services_and_a_three_node_cluster_under_the_ha_profile()
    {
        Assert.Equal(["rabbitmq", "rabbitmq-1", "rabbitmq-2", "rabbitmq-3", "postgres", "simulator", "processor", "prometheus", "grafana"], ServiceNames());
        // Dashboards only start with --profile observability: a plain `docker compose up` runs the four services.
        Assert.Contains("profiles: [observability]", Block("prometheus"), StringComparison.Ordinal);
        Assert.Contains("profiles: [observability]", Block("grafana"), StringComparison.Ordinal);
        Assert.Contains("image: rabbitmq:3.13-management", Block("rabbitmq"), StringComparison.Ordinal);
        Assert.Contains("image: postgres:", Block("postgres"), StringComparison.Ordinal);

        // The cluster's nodes only start with --profile ha; 2 and 3 inherit node 1's settings (and its profile).
        Assert.Contains("profiles: [ha]", Block("rabbitmq-1"), StringComparison.Ordinal);
        Assert.Contains("<<: *rabbitmq-cluster-node", Block("rabbitmq-2"), StringComparison.Ordinal);
        Assert.Contains("<<: *rabbitmq-cluster-node", Block("rabbitmq-3"), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_publish_the_clusters_nodes_on_the_ports_of_the_native_cluster()
    {
        var services = File.ReadAllText(Path.Combine(Root, "scripts", "services.sh"));
        var first = int.Parse(Regex.Match(services, @"ORDERPROCESSOR_RABBITMQ_CLUSTER_PORT:-(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        for (var node = 1; node <= 3; node++)
        {
            var port = first + node - 1;
            Assert.Contains($"\"127.0.0.1:{port}:5672\"", Block($"rabbitmq-{node}"), StringComparison.Ordinal);
            Assert.Contains($"\"127.0.0.1:{port + 10000}:15672\"", Block($"rabbitmq-{node}"), StringComparison.Ordinal);
        }

        var formation = File.ReadAllText(Path.Combine(Root, "deploy", "rabbitmq-cluster", "rabbitmq.conf"));
        for (var node = 1; node <= 3; node++)
        {
            Assert.Contains($"rabbit@rabbitmq-{node}", formation, StringComparison.Ordinal);
        }
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
        var header = ServiceHeader().Matches(body).FirstOrDefault(m => m.Groups[1].Value == service);
        Assert.True(header is not null, $"no service {service}");
        var next = ServiceHeader().Match(body, header.Index + header.Length);
        return next.Success ? body[header.Index..next.Index] : body[header.Index..];
    }

    [GeneratedRegex(@"(?m)^  ([a-z][a-z0-9-]*):(?:\s*&[a-z-]+)?\s*$")]
    private static partial Regex ServiceHeader();
}

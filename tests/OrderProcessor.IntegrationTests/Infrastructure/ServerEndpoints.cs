namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Where the real RabbitMQ and PostgreSQL of this test run listen. <see cref="RabbitNodes"/> lists a cluster's nodes
/// as <c>RabbitMq:Nodes</c> takes them (host:port, comma-separated); null for a single node.
/// </summary>
public sealed record ServerEndpoints(
    string RabbitHost,
    int RabbitPort,
    int RabbitManagementPort,
    string RabbitUsername,
    string RabbitPassword,
    string PostgresConnectionString,
    string Source,
    string? RabbitNodes = null);

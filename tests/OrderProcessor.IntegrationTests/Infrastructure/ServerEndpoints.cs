namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Where the real RabbitMQ and PostgreSQL of this test run listen.</summary>
public sealed record ServerEndpoints(
    string RabbitHost,
    int RabbitPort,
    int RabbitManagementPort,
    string RabbitUsername,
    string RabbitPassword,
    string PostgresConnectionString,
    string Source);

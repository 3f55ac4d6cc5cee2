namespace OrderProcessor.Cli.Infrastructure;

/// <summary>RabbitMQ or PostgreSQL did not answer; the message says which and where.</summary>
public sealed class UnreachableException(string message, Exception? inner = null) : Exception(message, inner);

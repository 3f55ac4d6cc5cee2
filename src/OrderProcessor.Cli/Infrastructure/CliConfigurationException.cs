namespace OrderProcessor.Cli.Infrastructure;

/// <summary>A connection setting is malformed; the message names the setting and the rule.</summary>
public sealed class CliConfigurationException(string message) : Exception(message);

using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>Where the broker is (section <c>RabbitMq</c>, environment variables <c>RabbitMq__Host</c>...).</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required(ErrorMessage = "RabbitMq:Host is required (environment variable RabbitMq__Host).")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "RabbitMq:Port must be a TCP port between 1 and 65535 (environment variable RabbitMq__Port).")]
    public int Port { get; set; } = 5673;

    [Required(ErrorMessage = "RabbitMq:VirtualHost is required (environment variable RabbitMq__VirtualHost); use / for the default.")]
    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = "RabbitMq:Username is required (environment variable RabbitMq__Username).")]
    public string Username { get; set; } = "guest";

    [Required(ErrorMessage = "RabbitMq:Password is required (environment variable RabbitMq__Password).")]
    public string Password { get; set; } = "guest";

    /// <summary>Prefix of the processor's queue names, e.g. to run two environments on one virtual host.</summary>
    public string? EndpointPrefix { get; set; }
}

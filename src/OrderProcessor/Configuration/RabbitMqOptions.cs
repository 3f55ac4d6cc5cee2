using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>
/// Where the broker is (section <c>RabbitMq</c>, environment variables <c>RabbitMq__Host</c>...). Host and credentials
/// have no defaults here: the developer's (127.0.0.1:5673, guest/guest) live in the host's appsettings.Development.json,
/// so a deployment that forgets them stops at start naming the key instead of trying a local broker.
/// </summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    /// <summary>The broker's host name (required unless <see cref="Nodes"/> lists a cluster's nodes).</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>AMQP's own port unless set (scripts/services.sh runs its broker on 5673).</summary>
    [Range(1, 65535, ErrorMessage = "RabbitMq:Port must be a TCP port between 1 and 65535 (environment variable RabbitMq__Port).")]
    public int Port { get; set; } = 5672;

    /// <summary>
    /// The nodes of a RabbitMQ cluster as <c>host:port</c>, comma-separated (<c>rabbit-1:5672,rabbit-2:5672,rabbit-3:5672</c>).
    /// When set, it replaces Host and Port: the connection tries the nodes in this order and, when its node goes away,
    /// reconnects to the next one that answers.
    /// </summary>
    public string? Nodes { get; set; }

    [Required(ErrorMessage = "RabbitMq:VirtualHost is required (environment variable RabbitMq__VirtualHost); use / for the default.")]
    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    /// <summary>Prefix of the processor's queue names, e.g. to run two environments on one virtual host.</summary>
    public string? EndpointPrefix { get; set; }

    /// <summary>
    /// The type of the durable queues the processor (and the CLI) declare. Quorum queues are replicated on the cluster
    /// and keep their messages when a node dies; a queue's type is fixed when it is first declared, so changing this on
    /// an existing deployment needs the queues drained and deleted first (RabbitMQ refuses to redeclare them).
    /// </summary>
    [EnumDataType(typeof(RabbitMqQueueType), ErrorMessage = "RabbitMq:QueueType must be quorum or classic (environment variable RabbitMq__QueueType).")]
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Quorum;

    /// <summary>The nodes to connect to, in order: <see cref="Nodes"/> when set, else Host:Port.</summary>
    public IReadOnlyList<(string Host, int Port)> Endpoints()
    {
        if (string.IsNullOrWhiteSpace(Nodes))
        {
            return [(Host, Port)];
        }

        return Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseNode).ToList();
    }

    /// <summary>How the nodes are named in messages: <c>127.0.0.1:5681, 127.0.0.1:5682</c>.</summary>
    public string Describe() => string.Join(", ", Endpoints().Select(e => $"{e.Host}:{e.Port}"));

    /// <summary>Every missing or wrong setting at once, each naming its key, so that one start-up names all of them.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Nodes) && string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("RabbitMq:Host is required (environment variable RabbitMq__Host), or RabbitMq:Nodes for a cluster.", [nameof(Host)]);
        }

        if (string.IsNullOrEmpty(Username))
        {
            yield return new ValidationResult("RabbitMq:Username is required (environment variable RabbitMq__Username).", [nameof(Username)]);
        }

        if (string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("RabbitMq:Password is required (environment variable RabbitMq__Password).", [nameof(Password)]);
        }

        if (string.IsNullOrWhiteSpace(Nodes))
        {
            yield break;
        }

        var nodes = Nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (nodes.Length == 0)
        {
            yield return new ValidationResult("RabbitMq:Nodes has no node; list the cluster's nodes as host:port, comma-separated, or leave it unset to use RabbitMq:Host and RabbitMq:Port.", [nameof(Nodes)]);
        }

        foreach (var node in nodes.Where(n => !TryParseNode(n, out _)))
        {
            yield return new ValidationResult($"RabbitMq:Nodes has '{node}', which is not host:port with a port between 1 and 65535 (e.g. rabbit-1:5672,rabbit-2:5672).", [nameof(Nodes)]);
        }
    }

    private static (string Host, int Port) ParseNode(string node) =>
        TryParseNode(node, out var endpoint) ? endpoint : throw new FormatException($"RabbitMq:Nodes has '{node}', which is not host:port.");

    private static bool TryParseNode(string node, out (string Host, int Port) endpoint)
    {
        endpoint = default;
        var colon = node.LastIndexOf(':');
        if (colon <= 0 || colon == node.Length - 1 ||
            !int.TryParse(node.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) ||
            port is < 1 or > 65535)
        {
            return false;
        }

        endpoint = (node[..colon], port);
        return true;
    }
}

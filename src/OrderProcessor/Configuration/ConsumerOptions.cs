using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>How the processor's receive endpoints consume (section <c>Consumers</c>).</summary>
public sealed class ConsumerOptions
{
    public const string Section = "Consumers";

    /// <summary>Messages fetched ahead from RabbitMQ per endpoint.</summary>
    [Range(1, 1000, ErrorMessage = "Consumers:PrefetchCount must be between 1 and 1000.")]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>Messages processed at once per endpoint; bounded by the database connection pool.</summary>
    [Range(1, 256, ErrorMessage = "Consumers:ConcurrentMessageLimit must be between 1 and 256.")]
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>Partitions by order id: messages of one order are processed one at a time, in arrival order.</summary>
    [Range(1, 256, ErrorMessage = "Consumers:PartitionCount must be between 1 and 256.")]
    public int PartitionCount { get; set; } = 32;
}

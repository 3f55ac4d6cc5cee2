using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Configuration;

/// <summary>How the processor's receive endpoints consume (section <c>Consumers</c>).</summary>
public sealed class ConsumerOptions
{
    public const string Section = "Consumers";

    /// <summary>Messages fetched ahead from RabbitMQ per endpoint.</summary>
    [Range(1, 1000, ErrorMessage = "Consumers:PrefetchCount must be between 1 and 1000.")]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Messages processed at once per endpoint; bounded by the database connection pool. More is not faster: a command
    /// that cannot be sent yet waits better in RabbitMQ than in <c>orders</c>, where the broker worker's claim ranks every
    /// due order on each turn. Measured at a 2,000-order burst on 2 cores: 32 at once left thousands of due orders in the
    /// table (42 ms per claim) and cost 20-30 % more CPU per order than 8 (7 ms per claim, no lock queues).
    /// </summary>
    [Range(1, 256, ErrorMessage = "Consumers:ConcurrentMessageLimit must be between 1 and 256.")]
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>Partitions by order id: messages of one order are processed one at a time, in arrival order.</summary>
    [Range(1, 256, ErrorMessage = "Consumers:PartitionCount must be between 1 and 256.")]
    public int PartitionCount { get; set; } = 32;

    /// <summary>
    /// The largest command accepted, in bytes of the message body: a larger one is answered with a short OrderRejected
    /// (rule <c>max-bytes</c>) and nothing of it is stored or looked at. The largest valid PlaceOrder (an OCA group of
    /// ten orders) is a few KB. The broker's own <c>max_message_size</c> bounds what reaches the processor at all.
    /// </summary>
    [Range(4096, 16 * 1024 * 1024, ErrorMessage = "Consumers:MaxMessageBytes must be between 4096 and 16777216.")]
    public int MaxMessageBytes { get; set; } = 64 * 1024;
}

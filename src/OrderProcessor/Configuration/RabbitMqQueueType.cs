namespace OrderProcessor.Configuration;

/// <summary>The kind of queue the processor's durable endpoints declare (<c>RabbitMq:QueueType</c>).</summary>
public enum RabbitMqQueueType
{
    /// <summary>Replicated by Raft on a majority of the cluster's nodes: survives the loss of a node. The default.</summary>
    Quorum,

    /// <summary>A queue on one node only: lost with that node until it comes back. For a single development node.</summary>
    Classic,
}

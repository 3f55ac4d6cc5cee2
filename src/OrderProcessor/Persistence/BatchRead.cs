using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// A read that can ride in another's batch: its statements, and how its result is taken from the batch's reader. A unit
/// of work sends the reads it will need with its locks and its inbox check, one round trip for all; each statement still
/// takes its own snapshot when it starts, so a read after a lock in the batch sees what the lock's holder committed.
/// </summary>
public abstract class BatchRead
{
    /// <summary>The statements, in order; none for a read that needs nothing from the database.</summary>
    public abstract IReadOnlyList<NpgsqlBatchCommand> Commands { get; }

    /// <summary>Takes the result from <paramref name="reader"/>, positioned on this read's first result set.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="reads"/> as one batch on the context's connection and transaction and takes every result.</summary>
    public static async Task RunAsync(OrderProcessorDbContext db, IReadOnlyList<BatchRead> reads, CancellationToken cancellationToken)
    {
        if (reads.All(r => r.Commands.Count == 0))
        {
            foreach (var read in reads)
            {
                await read.ReadAsync(null!, cancellationToken);
            }

            return;
        }

        await using var batch = await ContextCommand.CreateBatchAsync(db, cancellationToken);
        AddTo(batch, reads);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await ReadAllAsync(reader, reads, first: true, cancellationToken);
    }

    /// <summary>Adds the statements of <paramref name="reads"/> to <paramref name="batch"/>, in order.</summary>
    public static void AddTo(NpgsqlBatch batch, IReadOnlyList<BatchRead> reads)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var command in reads.SelectMany(r => r.Commands))
        {
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>
    /// Takes the results of <paramref name="reads"/> in order. With <paramref name="first"/>, the reader is on the first
    /// read's first result; otherwise on the result before it (each read with statements is moved to with NextResult).
    /// </summary>
    public static async Task ReadAllAsync(NpgsqlDataReader reader, IReadOnlyList<BatchRead> reads, bool first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var read in reads)
        {
            if (read.Commands.Count > 0)
            {
                if (!first && !await reader.NextResultAsync(cancellationToken))
                {
                    throw new InvalidOperationException("A batch ended before every read had its result.");
                }

                first = false;
            }

            await read.ReadAsync(reader, cancellationToken);
        }
    }
}

/// <summary>A <see cref="BatchRead"/> whose result is a <typeparamref name="T"/>, there once the batch has run.</summary>
public sealed class BatchRead<T>(IReadOnlyList<NpgsqlBatchCommand> commands, Func<NpgsqlDataReader, CancellationToken, Task<T>> read) : BatchRead
{
    private T? _value;
    private bool _read;

    /// <summary>A read that needs no statement: its value is known already.</summary>
    public static BatchRead<T> Of(T value) => new([], (_, _) => Task.FromResult(value));

    public override IReadOnlyList<NpgsqlBatchCommand> Commands => commands;

    /// <summary>The result; reading it before the batch ran is a bug in the caller.</summary>
    public T Value => _read ? _value! : throw new InvalidOperationException("The batch holding this read has not run.");

    public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        _value = await read(reader, cancellationToken);
        _read = true;
    }
}

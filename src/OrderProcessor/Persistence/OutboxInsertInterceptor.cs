using System.Data.Common;

namespace OrderProcessor.Persistence;

/// <summary>
/// Puts the outbox rows a unit of work armed (<see cref="OrderProcessorDbContext.ArmOutboxRow"/>) at the end of the first
/// command its save sends, as one statement (<see cref="OutboxInsert"/>): in the same round trip and transaction as the
/// saga change that caused them, behind the lease fence and the rate spend appended before it (a raise there skips it).
/// A save that sends no command of its own writes them as entities instead (<see cref="OrderProcessorDbContext"/>).
/// </summary>
public sealed class OutboxInsertInterceptor : SaveCommandAppendix<OutboxInsert>
{
    public static OutboxInsertInterceptor Instance { get; } = new();

    private OutboxInsertInterceptor()
    {
    }

    protected override OutboxInsert? TakeArmed(OrderProcessorDbContext db) => db.TakeOutboxRows();

    protected override bool IsArmed(OrderProcessorDbContext db) => db.OutboxRowsArmed;

    protected override void Append(DbCommand command, OutboxInsert rows)
    {
        command.CommandText += OutboxInsert.Sql;
        command.Parameters.AddRange(rows.Parameters().ToArray());
    }
}

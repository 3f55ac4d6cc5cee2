using System.Data.Common;

namespace OrderProcessor.Persistence;

/// <summary>
/// Puts the inbox row a unit of work armed (<see cref="OrderProcessorDbContext.ArmInboxRow"/>) at the end of the first
/// command its save sends (<see cref="InboxInsert"/>), with the effect it records. A save that sends no command of its own
/// writes it as an entity instead (<see cref="OrderProcessorDbContext"/>).
/// </summary>
public sealed class InboxInsertInterceptor : SaveCommandAppendix<InboxInsert>
{
    public static InboxInsertInterceptor Instance { get; } = new();

    private InboxInsertInterceptor()
    {
    }

    protected override InboxInsert? TakeArmed(OrderProcessorDbContext db) => db.TakeInboxRow();

    protected override bool IsArmed(OrderProcessorDbContext db) => db.InboxRowArmed;

    protected override void Append(DbCommand command, InboxInsert row)
    {
        command.CommandText += InboxInsert.Sql;
        command.Parameters.AddRange(row.Parameters().ToArray());
    }
}

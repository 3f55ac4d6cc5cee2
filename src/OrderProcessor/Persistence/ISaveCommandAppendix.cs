using System.Data.Common;

namespace OrderProcessor.Persistence;

/// <summary>
/// A statement a unit of work arms on its context to end its save's first command (<see cref="SaveCommandAppendix{TArmed}"/>),
/// seen from a save that builds that command itself (<see cref="OrderUpdateSave"/>) rather than through EF.
/// </summary>
public interface ISaveCommandAppendix
{
    /// <summary>Ends <paramref name="command"/> with what <paramref name="db"/> has armed of this kind, now disarmed; nothing when none is.</summary>
    void AppendArmedTo(DbCommand command, OrderProcessorDbContext db);
}
